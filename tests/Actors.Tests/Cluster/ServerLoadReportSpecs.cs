using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// Every server reports its load to the edges from the start, busy or not: the edges prefer servers that reported,
/// so a server that only reported once it had work never got any (a chaos run left one of three servers idle).
/// </summary>
public sealed class ServerLoadReportSpecs
{
    [Fact]
    public async Task Servers_that_never_had_a_query_are_known_to_the_edges_with_their_predicted_wait()
    {
        var model = new ScriptedModel(_ => Task.FromResult(TestData.Output("OK", 0.99)));
        await using var cluster = await LoopbackCluster.StartAsync(new ServerSettings(), _ => model, new EdgeSettings(), edgeNodes: 1);
        using var second = await cluster.StartExtraServerAsync(new ServerSettings(), _ => model);
        var directory = await cluster.Edges[0].Services.GetRequiredService<ActorSystem>()
            .ActorSelection($"/user/{ServerDirectory.Name}").ResolveOne(TimeSpan.FromSeconds(10));

        Dictionary<Address, TimeSpan?> waits = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            waits = await directory.Ask<Dictionary<Address, TimeSpan?>>(ServerDirectory.GetPredictedWaits.Instance, TimeSpan.FromSeconds(5));
            if (waits.Count == 2 && waits.Values.All(w => w is not null)) break;
        }
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.Equal(TimeSpan.Zero, w.Value)); // reported, and idle
        await second.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
    }
}

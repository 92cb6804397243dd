using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// "Never lose a query": a server that leaves while holding a query makes its edge re-submit the
/// same query to the server that remains, over a real loopback cluster (stand-in models, since the
/// point is the protocol, not the reading).
/// </summary>
public sealed class ServerFailoverSpecs
{
    [Fact]
    public async Task Query_held_by_a_server_that_leaves_is_answered_by_another_server()
    {
        var stuck = new TaskCompletionSource<ModelOutput>();
        await using var cluster = await LoopbackCluster.StartAsync(new ServerSettings(), _ => new ScriptedModel(_ => stuck.Task),
            new EdgeSettings { RetryDelay = TimeSpan.FromMilliseconds(200) }, edgeNodes: 1);

        var outcome = cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(TestData.Jpeg(640, 480), "What does the sign say?"), TimeSpan.FromSeconds(60));
        // The first server accepted the query and its model is stuck on it; a second server joins.
        await AwaitInFlight(cluster.ServerSystem, 1);
        using var second = await cluster.StartExtraServerAsync(new ServerSettings(), _ => new ScriptedModel(_ => Task.FromResult(TestData.Output("GATE 42", 0.99))));

        await cluster.Server.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        var result = await outcome;
        Assert.True(result.IsAnswered, $"failed: {result.Failed}");
        Assert.Equal("GATE 42", result.Answered!.Answer.Text);
        Assert.Equal(2, result.Attempts);
        stuck.TrySetCanceled();
        await second.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
    }

    private static async Task AwaitInFlight(ActorSystem server, int count)
    {
        var gateway = await server.ActorSelection($"/user/{QueryGateway.Name}").ResolveOne(TimeSpan.FromSeconds(5));
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
            if (await gateway.Ask<int>(QueryGateway.GetInFlight.Instance, TimeSpan.FromSeconds(5)) >= count) return;
        throw new TimeoutException($"the server never had {count} queries in flight");
    }
}

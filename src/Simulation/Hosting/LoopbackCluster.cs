using Akka.Actor;
using Akka.Cluster;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Inference.Reader;
using CollabVlm.Actors.Server;
using CollabVlm.Inference;
using CollabVlm.NodeDefaults;
using CollabVlm.Simulation.Uplink;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Simulation.Hosting;

/// <summary>
/// A real cluster on one machine: one server node and <c>edgeNodes</c> edge nodes, each its own
/// host and ActorSystem, talking over TCP on 127.0.0.1 with free ports. The demo, the benchmark
/// and the cluster tests use it; production nodes are the ServerNode and EdgeNode executables.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly List<IHost> _edges;

    private LoopbackCluster(IHost server, List<IHost> edges)
    {
        Server = server;
        _edges = edges;
        Devices = edges.SelectMany(e => e.Services.GetRequiredService<EdgeDeviceSet>().Devices).ToList();
    }

    public IHost Server { get; }
    public IReadOnlyList<IHost> Edges => _edges;
    public IReadOnlyList<IActorRef> Devices { get; }
    public ActorSystem ServerSystem => Server.Services.GetRequiredService<ActorSystem>();

    public static async Task<LoopbackCluster> StartAsync(ServerSettings server, Func<IServiceProvider, IVisionLanguageModel> model, EdgeSettings edge,
        int edgeNodes = 2, int devicesPerEdge = 1, LogLevel logLevel = LogLevel.Warning, TimeSpan? joinTimeout = null,
        UplinkSettings? uplink = null, CancellationToken cancellationToken = default, ReaderOptions? edgeDetector = null)
    {
        var timeout = joinTimeout ?? TimeSpan.FromSeconds(30);
        var serverHost = Build(logLevel, s => s.AddCollabVlmServer(new ClusterNodeOptions(), server, model));
        await serverHost.StartAsync(cancellationToken);
        var serverSystem = serverHost.Services.GetRequiredService<ActorSystem>();
        var seed = Cluster.Get(serverSystem).SelfAddress.ToString();

        // One shaper per edge node: its devices share the node's emulated uplink, as they would a real one.
        var edges = new List<IHost>();
        try
        {
            for (var i = 0; i < edgeNodes; i++)
            {
                var node = new ClusterNodeOptions { Seeds = [seed] };
                var host = Build(logLevel, s => s.AddCollabVlmEdge(node, edge, devicesPerEdge, $"edge{i}", uplink is null ? null : UplinkShaper.Create(uplink), detector: edgeDetector));
                await host.StartAsync(cancellationToken);
                edges.Add(host);
            }
            foreach (var host in edges)
                await ClusterReadiness.WaitForRoleAsync(host.Services.GetRequiredService<ActorSystem>(), ClusterRoles.Server, 1, timeout, cancellationToken);
            await ClusterReadiness.WaitForRoleAsync(serverSystem, ClusterRoles.Edge, edgeNodes, timeout, cancellationToken);
        }
        catch
        {
            await new LoopbackCluster(serverHost, edges).DisposeAsync();
            throw;
        }
        return new LoopbackCluster(serverHost, edges);
    }

    /// <summary>
    /// Starts one more server node that joins this cluster (for fail-over tests and load runs).
    /// The caller owns the returned host and stops it.
    /// </summary>
    public async Task<IHost> StartExtraServerAsync(ServerSettings server, Func<IServiceProvider, IVisionLanguageModel> model,
        LogLevel logLevel = LogLevel.Warning, TimeSpan? joinTimeout = null, CancellationToken cancellationToken = default)
    {
        var seed = Cluster.Get(ServerSystem).SelfAddress.ToString();
        var host = Build(logLevel, s => s.AddCollabVlmServer(new ClusterNodeOptions { Seeds = [seed] }, server, model));
        await host.StartAsync(cancellationToken);
        foreach (var edge in _edges)
            await ClusterReadiness.WaitForRoleAsync(edge.Services.GetRequiredService<ActorSystem>(), ClusterRoles.Server, 2, joinTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
        return host;
    }

    private static IHost Build(LogLevel level, Action<IServiceCollection> configure) =>
        new HostBuilder()
            .ConfigureLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level))
            .ConfigureServices(configure)
            .Build();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _edges.Append(Server))
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await host.StopAsync(stopping.Token); }
            catch (OperationCanceledException) { /* bounded shutdown: give up on a stuck node */ }
            host.Dispose();
        }
    }
}

using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Inference.Reader;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// One real loopback cluster for the class: a server node running the real PP-OCRv4 reader and
/// two edge nodes, three ActorSystems talking TCP on 127.0.0.1. Needs the model fetched
/// (scripts/fetch-model.sh; .ci/run and scripts/test.sh do it).
/// </summary>
public sealed class ReaderClusterFixture : IAsyncLifetime
{
    public LoopbackCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await LoopbackCluster.StartAsync(new ServerSettings(), _ => new PpOcrReader(new ReaderOptions()), new EdgeSettings(), edgeNodes: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

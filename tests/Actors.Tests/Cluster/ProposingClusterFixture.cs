using CollabVlm.Actors.Server;
using CollabVlm.Inference.Reader;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// A real loopback cluster whose edge proposes regions: a server node with the real PP-OCRv4 reader, one edge node
/// scanning its frames with the real PP-OCRv4 detector. Budgets are deliberately huge, so what the specs see never
/// depends on how fast this machine scans: a region request waits for the scan (up to a third of a long transfer).
/// </summary>
public sealed class ProposingClusterFixture : IAsyncLifetime
{
    public static EdgeSettings Edge { get; } = new()
    {
        ProposeRegions = true,
        ProposalMaxPixels = 2_000_000,
        ProposalTimeBudget = TimeSpan.FromMinutes(10),
        ProposalWait = TimeSpan.FromMinutes(10),
    };

    public static ServerSettings Server { get; } = new() { LocalStageTimeout = TimeSpan.FromSeconds(120) };

    public LoopbackCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await LoopbackCluster.StartAsync(Server, _ => new PpOcrReader(new ReaderOptions()), Edge, edgeNodes: 1);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

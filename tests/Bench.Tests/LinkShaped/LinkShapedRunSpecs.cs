using CollabVlm.Bench.Chaos;
using CollabVlm.Bench.LinkShaped;

namespace CollabVlm.Bench.Tests.LinkShaped;

/// <summary>
/// A short link-shaped run of the real executables at 1 Mbit/s then 250 kbit/s. It asserts what the report holds and
/// that nothing is left behind, never how accurate or fast the estimate is (the full command measures that).
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class LinkShapedRunSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_short_run_reports_both_phases_with_a_plausible_estimate_and_removes_its_namespaces()
    {
        if ((NamespaceNetwork.WhyUnavailable() ?? EdgeLinkProbe.WhyUnavailable()) is { } why)
            Assert.Fail($"this test runs the nodes in network namespaces behind tbf and reads the edge with curl: {why}");
        var options = new LinkShapedOptions
        {
            Rates = [1_000_000],
            Phase = TimeSpan.FromSeconds(20),
            Frames = 3,
            Output = _folder.Path,
            ServerDll = ChaosExecutables.Server,
            EdgeDll = ChaosExecutables.Edge,
        };

        var results = await LinkShapedRun.RunAsync(options, _ => { }, CancellationToken.None);
        LinkShapedReport.Write(options.Output, results, "test");
        var report = File.ReadAllText(Path.Combine(options.Output, "report.md"));

        Assert.Equal([(1_000_000L, false), (250_000L, true)], results.Phases.Select(p => (p.ShapedBitsPerSecond, p.AfterDrop)));
        var first = results.Phases[0];
        Assert.True(first.Asked > 0, report);
        Assert.True(first.SentBytes > 0, report);
        Assert.True(first.EstimateBitsPerSecond is > 0 and < 1.5 * 1_000_000, report);
        Assert.True(results.Phases[1].EstimateBitsPerSecond > 0, report);
        Assert.True(File.Exists(Path.Combine(options.Output, "results.json")));
        var tag = $"cv{Environment.ProcessId % 100000}-";
        Assert.DoesNotContain(tag, HostCommand.Run("ip", "netns", "list"), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}

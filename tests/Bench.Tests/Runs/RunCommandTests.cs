using System.Text.Json;
using CollabVlm.Actors.Server;
using CollabVlm.Bench.Commands;
using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference.Reader;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.Bench.Tests.Runs;

/// <summary>The run command on a tiny generated set with the real reader, in direct mode (the cluster path has its own tests in Actors.Tests).</summary>
public sealed class RunCommandTests
{
    private static RunSettings Settings(string dataset, string output) => new(dataset, output, 0.35, 3, Direct: true, Limit: null, FullFrameSample: 1,
        new ServerSettings(), RunCommandOptions.EdgeFor(null), new ReaderOptions(), TimeSpan.FromSeconds(60));

    private static Dataset TinySet(string folder)
    {
        DatasetGenerator.Generate(folder, new GeneratorSettings(3, 11) { MinWidth = 640, MaxWidth = 800, MinTextHeight = 24, MaxTextHeight = 40, DistractorShare = 0 });
        return DatasetManifest.Load(folder);
    }

    [Fact]
    public async Task Writes_results_with_the_issues_field_names_a_report_and_charts()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        var exit = await RunCommand.Execute(Settings(data.Path, output.Path), TinySet(data.Path), "collabvlm-bench run (test)", CancellationToken.None);
        Assert.Equal(0, exit);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output.Path, RunReport.ResultsFile)));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("questions").GetInt32());
        foreach (var strategy in root.GetProperty("strategies").EnumerateArray())
            foreach (var field in new[] { "accuracy_em", "accuracy_anls", "extra_cost", "retransmission_share", "relative_compute", "latency_p50_ms", "latency_p95_ms" })
                Assert.True(strategy.TryGetProperty(field, out _), $"strategy {strategy.GetProperty("name")} lacks {field}");
        Assert.Contains(root.GetProperty("strategies").EnumerateArray(), s => s.GetProperty("name").GetString()!.StartsWith("full-frame", StringComparison.Ordinal));
        Assert.All(root.GetProperty("measures").EnumerateArray(), m => Assert.True(m.TryGetProperty("auroc", out _)));
        Assert.True(root.TryGetProperty("roi_hit_rate", out _));
        Assert.True(root.GetProperty("sweep").GetArrayLength() > 0);
        // Large text in small frames: the reader reads the global image right.
        var globalOnly = root.GetProperty("strategies").EnumerateArray().First(s => s.GetProperty("name").GetString() == "global-only");
        Assert.True(globalOnly.GetProperty("accuracy_em").GetDouble() > 0.5);

        var report = await File.ReadAllTextAsync(Path.Combine(output.Path, RunReport.ReportFile));
        Assert.Contains("headline mode: **direct**", report);
        foreach (var chart in new[] { RunCharts.AccuracyVsCost, RunCharts.AccuracyVsShare, RunCharts.LatencyCdf, "uncertainty_minentropy_mean.png" })
            Assert.True(new FileInfo(Path.Combine(output.Path, chart)).Length > 1000, $"{chart} missing or empty");
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output.Path, BenchRunner.QuestionsFile)).Length);

        // What `report` and `calibrate --from-run` read back: the records and the run's context.
        var records = RunRecords.Read(output.Path);
        Assert.Equal(3, records.Count);
        Assert.Equal(RunAnalysis.HeadlineSpec, records[0].GlobalScores.Keys.First(k => k == RunAnalysis.HeadlineSpec));
        var context = RunRecords.ReadContext(output.Path);
        Assert.True(context.Direct);
        Assert.Equal(3, context.Seed);
        var again = RunAnalysis.Analyse(records, context);
        Assert.Equal(root.GetProperty("strategies")[0].GetProperty("accuracy_em").GetDouble(), again.Strategies[0].AccuracyEm, 9);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_and_keeps_what_was_measured()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        var set = TinySet(data.Path);
        using var cancel = new CancellationTokenSource();
        var outcome = await new BenchRunner(Settings(data.Path, output.Path) with { FullFrameSample = 0 })
            .RunAsync(set, (done, _) => { if (done == 1) cancel.Cancel(); }, null, cancel.Token);
        Assert.True(outcome.Interrupted);
        Assert.Single(outcome.Records);
        Assert.Equal(3, outcome.Planned);
        Assert.Single(File.ReadAllLines(Path.Combine(output.Path, BenchRunner.QuestionsFile)));
    }

    [Fact]
    public async Task The_two_level_zoom_candidate_is_a_row_of_its_own_with_its_wide_view_counted()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        var settings = Settings(data.Path, output.Path) with { FullFrameSample = 0, TrueBox = false, Zoom = new TwoLevelZoom() };
        var outcome = await new BenchRunner(settings).RunAsync(TinySet(data.Path), null, null, CancellationToken.None);

        Assert.All(outcome.Records, r =>
        {
            var zoomed = r.Extra![RunAnalysis.TwoLevelZoomRow];
            Assert.True(zoomed.Retransmitted);
            Assert.NotNull(zoomed.Roi);
            Assert.NotNull(zoomed.EdgeMs); // the edge's cut and encode of the wide view
            // The wide view travels before the local image: both in the bytes, and one more round trip than the headline's.
            Assert.True(zoomed.LocalBytes > 0 && zoomed.TransferMs > 0);
        });
        var analysed = RunAnalysis.Analyse(outcome.Records, new RunContext(data.Path, 3, false, 0.35, 3, Direct: true, "unconstrained", outcome.Model));
        Assert.Contains(analysed.RoiCandidates, c => c.Name == RunAnalysis.TwoLevelZoomRow && c.Questions == 3);
    }

    [Fact]
    public async Task Cluster_mode_asks_through_a_loopback_cluster_and_agrees_with_the_direct_pass()
    {
        using var data = new TempFolder();
        using var output = new TempFolder();
        var set = TinySet(data.Path);
        var outcome = await new BenchRunner(Settings(data.Path, output.Path) with { Direct = false, Limit = 1, FullFrameSample = 0 })
            .RunAsync(set, null, null, CancellationToken.None);
        var record = Assert.Single(outcome.Records);
        Assert.NotNull(record.ClusterGlobalOnly);
        Assert.NotNull(record.ClusterGated);
        var always = record.ClusterAlways!;
        Assert.True(always.Retransmitted);
        Assert.True(always.LocalBytes > 0);
        Assert.NotNull(always.Roi);
        Assert.False(record.ClusterGlobalOnly!.Retransmitted);
        // The same model on the same global image: the cluster's global-only answer is the direct one.
        Assert.Equal(record.GlobalPass.Answer, record.ClusterGlobalOnly.Answer);
        Assert.Equal(record.GlobalPass.GlobalBytes, record.ClusterGlobalOnly.GlobalBytes);
        // In cluster mode the refined pass the gates are replayed with is the cluster's always-retransmit answer.
        Assert.Same(always, record.RefinedPass);
    }
}

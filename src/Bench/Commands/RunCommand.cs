using System.CommandLine;
using CollabVlm.Actors.Server;
using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference.Reader;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Region;
using Spectre.Console;

namespace CollabVlm.Bench.Commands;

/// <summary>
/// <c>run --dataset DIR --out DIR [--threshold η] [--seed S] [--direct]</c>: every strategy over a
/// data set; writes report.md, results.json, questions.jsonl and PNG charts.
/// </summary>
public static class RunCommand
{
    public static Command Build()
    {
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "data set folder (manifest.jsonl + images)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for report.md, results.json, questions.jsonl and charts", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "η in bits of mean min-entropy (default: the server's, 0.35)" };
        var seed = new Option<int>("--seed") { Description = "seed of the random-retransmission baseline", DefaultValueFactory = _ => 1 };
        var direct = new Option<bool>("--direct") { Description = "no cluster: call the model in-process for every strategy" };
        var limit = new Option<int?>("--limit") { Description = "only the first N questions" };
        var fullFrame = new Option<int>("--full-frame-sample") { Description = "questions (evenly spread) also read from the full frame, the HD ceiling; 0 = none", DefaultValueFactory = _ => 10 };
        var globalSize = new Option<int?>("--global-size") { Description = "long side of the global image, pixels (default 768)" };
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var deadline = new Option<int>("--deadline") { Description = "per-query deadline, seconds", DefaultValueFactory = _ => 60 };
        var linkMbps = new Option<double?>("--link-mbps") { Description = "shape the edge's uplink to this rate, Mbit/s (cluster mode; default: unshaped loopback)" };
        var ignoreQuestion = new Option<bool>("--reader-ignores-question") { Description = "the reader reads every line whatever the question (the behaviour before question-aware reading; for comparison)" };
        var budget = new Option<double?>("--budget") { Description = "Server:RetransmitBudget: retransmit this share of queries, the least sure (0..1; default: fixed η)" };
        var rttMs = new Option<int>("--rtt-ms") { Description = "added round-trip delay of the shaped uplink, ms", DefaultValueFactory = _ => 50 };
        var skipTrueBox = new Option<bool>("--skip-true-box") { Description = "do not read the crop around each recorded answer box (the ceiling row)" };
        var edgeProposals = new Option<bool>("--edge-proposals") { Description = "also run the edge-proposals region candidate in-process (the edge scans its full frame for text)" };
        var zoom = new Option<double?>("--two-level-zoom") { Description = "also run the two-level zoom region candidate in-process: a wide, coarse view this many times the server's base side first, then the tight region its pass points at (e.g. 3)" };
        var snappedPixels = new Option<int?>("--snapped-region-pixels") { Description = "least side, frame pixels, of a region the edge snapped onto a line it found (default Edge:SnappedRegionPixels; 0: the server's box)" };
        var proposalBudget = new Option<double?>("--proposal-time-budget") { Description = "seconds the edge's scan may take per frame (default Edge:ProposalTimeBudget, 8)" };
        var noEdgeScan = new Option<bool>("--no-edge-scan") { Description = "the cluster's edge does not scan its frames for text (Edge:ProposeRegions off): regions are the server's, as its global pass chose them" };
        // The scan is on by default now; recorded commands that asked for it still run.
        var clusterProposals = new Option<bool>("--cluster-proposals") { Description = "the edge's scan, on by default (kept so recorded commands run)", Hidden = true };
        var proposalPixels = new Option<long?>("--proposal-max-pixels") { Description = "detector pixels per frame for the edge's scan (default Edge:ProposalMaxPixels, 4000000)" };
        var proposalWait = new Option<double?>("--proposal-wait") { Description = "seconds a region request waits for an unfinished scan (default Edge:ProposalWait, 4; at most a third of the transfer time)" };

        var command = new Command("run", "ask every question of a data set with every strategy; write report.md, results.json and charts");
        foreach (var o in new Option[] { dataset, output, threshold, seed, direct, limit, fullFrame, globalSize, modelDir, deadline, linkMbps, rttMs, budget, ignoreQuestion, skipTrueBox, edgeProposals, zoom, snappedPixels, proposalBudget, clusterProposals, noEdgeScan, proposalWait, proposalPixels }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await DatasetManifest.LoadOrReportAsync(parse.GetValue(dataset)!.FullName) is not { } set) return 2;
            var server = new ServerSettings();
            var eta = parse.GetValue(threshold) ?? server.Threshold;
            if (!(eta >= 0) || parse.GetValue(limit) is < 1 || parse.GetValue(deadline) < 1
                || parse.GetValue(linkMbps) is { } m && !(m > 0) || parse.GetValue(rttMs) < 0 || parse.GetValue(budget) is { } b && !(b is >= 0 and <= 1))
            {
                await Console.Error.WriteLineAsync("error: need --threshold ≥ 0, --limit ≥ 1, --deadline ≥ 1, --link-mbps > 0, --rtt-ms ≥ 0 and --budget in [0, 1]");
                return 2;
            }
            var edge = RunCommandOptions.EdgeFor(parse.GetValue(globalSize));
            if (parse.GetValue(noEdgeScan) && parse.GetValue(clusterProposals))
            {
                await Console.Error.WriteLineAsync("error: --no-edge-scan and --cluster-proposals contradict each other (the scan is on unless --no-edge-scan)");
                return 2;
            }
            if (parse.GetValue(noEdgeScan)) edge = edge with { ProposeRegions = false };
            if (parse.GetValue(proposalBudget) is { } scanSeconds)
            {
                if (!(scanSeconds > 0))
                {
                    await Console.Error.WriteLineAsync("error: --proposal-time-budget must be > 0 seconds");
                    return 2;
                }
                edge = edge with { ProposalTimeBudget = TimeSpan.FromSeconds(scanSeconds) };
            }
            if (parse.GetValue(proposalWait) is { } waitSeconds)
            {
                if (!(waitSeconds >= 0))
                {
                    await Console.Error.WriteLineAsync("error: --proposal-wait must be ≥ 0 seconds");
                    return 2;
                }
                edge = edge with { ProposalWait = TimeSpan.FromSeconds(waitSeconds) };
            }
            if (parse.GetValue(snappedPixels) is { } snapped)
            {
                if (snapped < 0)
                {
                    await Console.Error.WriteLineAsync("error: --snapped-region-pixels must be ≥ 0 (0: the server's box)");
                    return 2;
                }
                edge = edge with { SnappedRegionPixels = snapped };
            }
            var zoomFactor = parse.GetValue(zoom);
            if (zoomFactor is { } factor && !(factor is >= 1 and <= 10))
            {
                await Console.Error.WriteLineAsync($"error: --two-level-zoom must be in [1, 10] (the wide view's side over the server's base side), got {factor}");
                return 2;
            }
            if (parse.GetValue(proposalPixels) is { } pixels)
            {
                edge = edge with { ProposalMaxPixels = pixels };
                if (edge.Validate() is { } problem)
                {
                    await Console.Error.WriteLineAsync($"error: --proposal-max-pixels: {problem}");
                    return 2;
                }
            }
            var settings = new RunSettings(set.Folder, parse.GetValue(output)!.FullName, eta, parse.GetValue(seed), parse.GetValue(direct),
                parse.GetValue(limit), parse.GetValue(fullFrame), server with { Threshold = eta, RetransmitBudget = parse.GetValue(budget) }, edge,
                new ReaderOptions { ModelDirectory = parse.GetValue(modelDir), GlobalLongSide = edge.GlobalLongSide, ReadQuestion = !parse.GetValue(ignoreQuestion) },
                TimeSpan.FromSeconds(parse.GetValue(deadline)))
            {
                Uplink = parse.GetValue(linkMbps) is { } mbps
                    ? new Latency.ShapedLink("run", (long)(mbps * 1_000_000), TimeSpan.FromMilliseconds(parse.GetValue(rttMs))).Uplink
                    : null,
                TrueBox = !parse.GetValue(skipTrueBox),
                EdgeProposals = parse.GetValue(edgeProposals),
                Zoom = zoomFactor is { } wide ? new TwoLevelZoom(wide) : null,
            };
            try
            {
                return await Execute(settings, set, "collabvlm-bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), cancellationToken);
            }
            catch (Imaging.GlobalImageTooLargeException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message} (Edge:MaxGlobalBytes); lower --global-size");
                return 2;
            }
        });
        return command;
    }

    public static async Task<int> Execute(RunSettings settings, Dataset set, string commandLine, CancellationToken cancellationToken)
    {
        var runner = new BenchRunner(settings);
        BenchRunner.Outcome outcome = null!;
        var planned = settings.Limit is { } l ? Math.Min(l, set.Items.Count) : set.Items.Count;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{planned} questions", maxValue: planned);
                int right = 0, otherRight = 0;
                // Cluster mode shows the gated strategy's running accuracy; direct mode the global pass's.
                var other = settings.Direct ? "global" : "gated";
                outcome = await runner.RunAsync(set, (done, r) =>
                {
                    right += RunAnalysis.Right(r.RefinedPass.Answer, r.Item) ? 1 : 0;
                    otherRight += RunAnalysis.Right((r.ClusterGated ?? r.GlobalPass).Answer, r.Item) ? 1 : 0;
                    task.Description = $"{done}/{planned} questions · always {right}/{done} right · {other} {otherRight}/{done}";
                    task.Value = done;
                }, s => task.Description = s, cancellationToken);
            });
        if (outcome.Interrupted)
            AnsiConsole.MarkupLine($"[yellow]interrupted[/]: writing the {outcome.Records.Count} questions measured");
        if (outcome.Records.Count == 0)
        {
            await Console.Error.WriteLineAsync("error: no question was measured, nothing to report");
            return 1;
        }

        var context = new RunContext(settings.DatasetFolder, outcome.Planned, outcome.Interrupted, settings.Threshold, settings.Seed, settings.Direct, settings.Link, outcome.Model,
            settings.Server.RetransmitBudget, settings.Server.RetransmitBudgetWindow, EdgeScan: settings.Edge.ProposeRegions);
        var results = RunAnalysis.Analyse(outcome.Records, context);
        var charts = RunCharts.Write(settings.OutFolder, results, outcome.Records);
        RunReport.Write(settings.OutFolder, results, charts, commandLine);

        var table = new Table().Title($"{results.Questions} questions, η = {settings.Threshold}, headline mode {results.HeadlineMode}")
            .AddColumns("strategy", "mode", "EM", "ANLS", "extra cost", "share", "compute", "p50/p95 ms", "retx");
        foreach (var s in results.Strategies)
            table.AddRow(Markup.Escape(s.Name), s.Mode, $"{s.AccuracyEm:P1}", $"{s.AccuracyAnls:0.000}", $"{s.ExtraCost:0.00}", $"{s.RetransmissionShare:0.000}",
                $"{s.RelativeCompute:0.00}", $"{s.LatencyP50Ms:0}/{s.LatencyP95Ms:0}", $"{s.Retransmitted}/{s.Questions}");
        AnsiConsole.Write(table);
        if (results.BudgetTracking is { } t)
            AnsiConsole.MarkupLine($"budget gate ({t.Mode}): target share {t.TargetShare:0.###}, achieved {t.AchievedShare:0.###} " +
                $"(quarters {string.Join(" / ", t.AchievedByQuarter.Select(q => q.ToString("0.00")))}), EM {t.AccuracyEm:P1}; fixed η {t.FixedThreshold:0.###}: share {t.FixedThresholdQueryShare:0.###}, EM {t.FixedThresholdAccuracyEm:P1}");
        AnsiConsole.MarkupLine($"bar ({RunAnalysis.BarRatio:P0} of always at share ≤ {RunAnalysis.BarShare}, beats random): [bold]{(results.Bar.Met ? "met" : "not met")}[/]; report: {Markup.Escape(Path.Combine(settings.OutFolder, RunReport.ReportFile))}");
        return outcome.Interrupted ? 130 : 0;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CollabVlm.Actors.Server;
using CollabVlm.Bench.Demo;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference.Reader;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CollabVlm.Bench.Latency;

/// <summary>
/// <c>latency</c>: end-to-end latency and bytes per query of five strategies on two shaped uplinks
/// (1 Mbit/s with 50 ms RTT, 10 Mbit/s with 20 ms), in one run so the ratios are against baselines
/// measured alongside; plus link utilization while layers stream and the link estimator's error.
/// </summary>
public static class LatencyCommand
{
    public static Command Build()
    {
        var frameSet = new FrameSetOptions(defaultFrames: 8);
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var json = new Option<FileInfo?>("--json") { Description = "write the results as JSON to this file" };
        var verbose = new Option<bool>("--verbose") { Description = "show the nodes' logs" };

        var command = new Command("latency", "latency and bytes per query of five strategies on shaped 1 Mbit/s and 10 Mbit/s uplinks");
        frameSet.AddTo(command);
        foreach (var o in new Option[] { modelDir, json, verbose }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (frameSet.Problem(parse) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            var count = parse.GetValue(frameSet.Frames);
            var server = new ServerSettings();
            var reader = new ReaderOptions { ModelDirectory = parse.GetValue(modelDir) };
            using var models = new BenchModels(reader);
            var runner = new LatencyRunner(reader, server, models, parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Critical);
            var set = frameSet.Generate(parse).ToList();
            AnsiConsole.MarkupLine($"[bold]latency benchmark[/]: {count} frames of {set[0].Width}×{set[0].Height} (mean {set.Average(f => f.Jpeg.Length):N0} bytes), " +
                $"{ShapedLink.Standard.Count} links × {Enum.GetValues<LatencyStrategy>().Length} strategies; cluster strategies over TCP through the actors");

            var links = new Dictionary<string, IReadOnlyDictionary<string, LatencyFigures>>();
            var errors = new Dictionary<string, double>();
            var estimates = new Dictionary<string, double>();
            var utilization = 0.0;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                foreach (var link in ShapedLink.Standard)
                {
                    var figures = new Dictionary<string, LatencyFigures>();
                    var streamed = new List<LatencySample>();
                    foreach (var strategy in Enum.GetValues<LatencyStrategy>())
                    {
                        var task = progress.AddTask($"{link.Name} {LatencyResults.Key(strategy)}", maxValue: count);
                        var (samples, estimate) = await runner.RunAsync(link, strategy, set, () => task.Increment(1), cancellationToken);
                        figures[LatencyResults.Key(strategy)] = LatencyFigures.From(samples);
                        if (strategy is LatencyStrategy.Always or LatencyStrategy.GatedProgressive) streamed.AddRange(samples);
                        if (strategy == LatencyStrategy.GatedProgressive && estimate is not null)
                        {
                            errors[link.Name] = Math.Abs(estimate.BytesPerSecond - link.BytesPerSecond) / link.BytesPerSecond;
                            estimates[link.Name] = estimate.BytesPerSecond * 8;
                        }
                    }
                    links[link.Name] = figures;
                    if (link == ShapedLink.Standard[0]) utilization = LatencyResults.Utilization(streamed, link);
                }
            });

            var results = new LatencyResults(links, utilization, errors.Count == 0 ? 0 : errors.Values.Average(), errors, estimates, count, server.Threshold);
            AnsiConsole.Write(Table(results));
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                AnsiConsole.MarkupLine($"results written to {Markup.Escape(file.FullName)}");
            }
            return links.Values.SelectMany(l => l.Values).Sum(f => f.Failed) == 0 ? 0 : 1;
        });
        return command;
    }

    private static Table Table(LatencyResults r)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title($"{r.Frames} frames per cell; link utilization while layers stream {F(r.LinkUtilization, "P0")} (1 Mbit/s); " +
                $"estimator error {string.Join(", ", r.EstimatorErrorByLink.Select(e => $"{e.Key} {F(e.Value, "P1")} ({F(r.EstimateByLink[e.Key] / 1e6, "0.00")} Mbit/s)"))}")
            .AddColumns("link", "strategy", "p50 ms", "p95 ms", "p50 / full frame", "bytes/query", "accuracy (EM)", "degraded", "failed");
        foreach (var (link, strategies) in r.Links)
        {
            var full = strategies[LatencyResults.Key(LatencyStrategy.FullFrame)].LatencyP50Ms;
            foreach (var (name, f) in strategies)
                table.AddRow(link, name, F(f.LatencyP50Ms, "0"), F(f.LatencyP95Ms, "0"), F(f.LatencyP50Ms / Math.Max(full, 1e-9), "0.00"),
                    F(f.BytesPerQuery, "N0"), F(f.AccuracyEm, "P0"), f.Degraded.ToString(CultureInfo.InvariantCulture), f.Failed.ToString(CultureInfo.InvariantCulture));
        }
        return table;
    }
}

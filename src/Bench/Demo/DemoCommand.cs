using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Spectre.Console;

namespace CollabVlm.Bench.Demo;

/// <summary>
/// <c>demo</c>: a real loopback cluster (one server, two edge nodes, TCP), generated frames, each
/// asked three ways — global only, always retransmit, gated — and a table of what happened.
/// </summary>
public static class DemoCommand
{
    public const string Question = "What does the sign say?";

    public static Command Build()
    {
        var frameSet = new FrameSetOptions(defaultFrames: 12);
        var threshold = new Option<double?>("--threshold") { Description = "η in bits (default: the server's)" };
        var globalSize = new Option<int?>("--global-size") { Description = "long side of the global image, pixels (default: the edge's, 768)" };
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var json = new Option<FileInfo?>("--json") { Description = "write the totals as JSON to this file" };
        var verbose = new Option<bool>("--verbose") { Description = "show the nodes' logs (by default only the tables: failures show there with their reasons)" };

        var command = new Command("demo", "start a loopback cluster, ask about generated frames, print a table and totals");
        frameSet.AddTo(command);
        foreach (var o in new Option[] { threshold, globalSize, modelDir, json, verbose }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (frameSet.Problem(parse) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            var count = parse.GetValue(frameSet.Frames);
            var server = new ServerSettings();
            server = server with { Threshold = parse.GetValue(threshold) ?? server.Threshold };
            var reader = new ReaderOptions { ModelDirectory = parse.GetValue(modelDir) };
            var edge = new EdgeSettings();
            edge = edge with { GlobalLongSide = parse.GetValue(globalSize) ?? edge.GlobalLongSide };

            AnsiConsole.MarkupLine("[bold]CollabVlm demo[/]: starting one server node and two edge nodes on 127.0.0.1 (TCP) ...");
            await using var cluster = await LoopbackCluster.StartAsync(server, _ => new PpOcrReader(reader), edge, edgeNodes: 2,
                // Quiet by default: nodes leaving at the end log every closed TCP association as an error.
                logLevel: parse.GetValue(verbose) ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Critical,
                cancellationToken: cancellationToken);
            AnsiConsole.MarkupLine($"cluster up: server {Markup.Escape(Akka.Cluster.Cluster.Get(cluster.ServerSystem).SelfAddress.ToString())}, {cluster.Devices.Count} edge devices");

            var rows = new List<DemoRow>();
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"asking about {count} frames × 3 strategies", maxValue: count);
                var device = 0;
                foreach (var frame in frameSet.Generate(parse))
                {
                    async Task<QueryOutcome> Ask(RetransmitPolicy policy) =>
                        await cluster.Devices[device++ % cluster.Devices.Count].Ask<QueryOutcome>(
                            new AskQuestion(frame.Jpeg, Question, new QueryOptions(TimeSpan.FromSeconds(30), policy)), TimeSpan.FromSeconds(150), cancellationToken);
                    rows.Add(new DemoRow(frame, await Ask(RetransmitPolicy.Never), await Ask(RetransmitPolicy.Always), await Ask(RetransmitPolicy.Gated)));
                    task.Increment(1);
                }
            });

            AnsiConsole.Write(RowsTable(rows));
            var totals = DemoTotals.From(rows, server.Threshold);
            AnsiConsole.Write(TotalsTable(totals));
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(totals, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                AnsiConsole.MarkupLine($"totals written to {Markup.Escape(file.FullName)}");
            }
            return totals.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static Table RowsTable(IEnumerable<DemoRow> rows)
    {
        var table = new Table().Title($"gated answers to \"{Question}\"")
            .AddColumns("#", "text px", "truth", "answer", "right?", "stage", "H∞ global", "bytes up", "latency ms", "global-only", "always");
        foreach (var r in rows)
        {
            var a = r.Gated.Answered?.Answer;
            string Mark(QueryOutcome o) => DemoRow.IsRight(o, r.Frame) ? "[green]✓[/]" : "[red]✗[/]";
            table.AddRow(
                r.Frame.Index.ToString(CultureInfo.InvariantCulture), r.Frame.TextHeightPx.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(r.Frame.Text), Markup.Escape(a?.Text ?? $"({r.Gated.Failed?.Reason})"), Mark(r.Gated),
                a?.Stage.ToString() ?? "failed", a is null ? "" : a.GlobalUncertainty.ToString("0.00", CultureInfo.InvariantCulture),
                a is null ? "" : (a.BytesGlobal + a.BytesLocal).ToString("N0", CultureInfo.InvariantCulture),
                r.Gated.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture), Mark(r.GlobalOnly), Mark(r.Always));
        }
        return table;
    }

    private static Table TotalsTable(DemoTotals t)
    {
        string Pct(double v) => v.ToString("P0", CultureInfo.InvariantCulture);
        string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        return new Table().Title($"totals over {t.Frames} frames (η = {F(t.Threshold)} bits; {t.Answered}/{t.Queries} answered)")
            .AddColumns("strategy", "accuracy (exact match)", "extra communication cost", "retransmissions")
            .AddRow("global only", Pct(t.AccuracyGlobalOnly), "0.00", "0")
            .AddRow("always retransmit", Pct(t.AccuracyAlwaysRetransmit), F(t.ExtraCostAlwaysRetransmit), t.Frames.ToString(CultureInfo.InvariantCulture))
            .AddRow("gated (min-entropy)", Pct(t.AccuracyGated), F(t.ExtraCostGated), t.RetransmissionsGated.ToString(CultureInfo.InvariantCulture))
            .AddRow("[grey]full frames (reference)[/]", "", F((double)t.BytesFullFrames / Math.Max(1, t.BytesGlobal) - 1), "");
    }
}

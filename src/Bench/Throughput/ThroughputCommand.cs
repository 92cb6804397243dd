using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Bench.Demo;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CollabVlm.Bench.Throughput;

/// <summary>
/// <c>throughput</c>: what the actor path costs against calling the model directly, on the same frames in the same
/// process. Raw: the PP-OCRv4 reader called back to back on the global images the edge would send (with ONNX Runtime's
/// intra-op spinning on and off). Actor path: a loopback cluster (a server and an edge node, over TCP) answering the
/// same frames with the global pass only, first with one asker (latency against raw), then with several (the queue
/// never empty: capacity against raw). One server against two as separate processes is the chaos bench's job
/// (<c>chaos --server-cores</c>).
/// </summary>
public static class ThroughputCommand
{
    public static Command Build()
    {
        var frames = new Option<int>("--frames") { DefaultValueFactory = _ => 8, Description = "distinct frames, rendered once before the runs" };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 30, Description = "length of each closed loop" };
        var askers = new Option<int>("--askers") { DefaultValueFactory = _ => 4, Description = "callers of the loaded actor-path loop, each asking again once answered" };
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var output = new Option<string?>("--out") { Description = "write results.json here" };
        var command = new Command("throughput", "queries per second of the actor path against raw ONNX Runtime calls on the same frames");
        foreach (var o in new Option[] { frames, seconds, askers, modelDir, output }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (frameCount, duration, loaded) = (parse.GetValue(frames), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(askers));
            if (frameCount < 1 || duration <= TimeSpan.Zero || loaded < 1)
            {
                await Console.Error.WriteLineAsync("error: --frames, --seconds and --askers must be positive");
                return 2;
            }
            // No text scan: these cameras are simulated on the servers' own cores, where a camera's scan would only
            // take CPU from the inference this bench measures (a real camera scans on its own CPU).
            var edge = new EdgeSettings { AcceptTimeout = TimeSpan.FromSeconds(60), ProposeRegions = false };
            var reader = new ReaderOptions { ModelDirectory = parse.GetValue(modelDir), GlobalLongSide = edge.GlobalLongSide };
            var (cameraFrames, globals) = Render(frameCount, edge);
            const string question = "What does the sign say?";
            var results = new List<ThroughputFigures>();

            foreach (var spinning in new[] { true, false })
            {
                using var model = new PpOcrReader(reader with { IntraOpSpinning = spinning });
                await model.AnswerAsync(new ModelInput(question, globals[0]), cancellationToken); // warm-up: first-call allocations
                var name = $"raw ONNX Runtime calls, spinning {(spinning ? "on" : "off")}";
                AnsiConsole.MarkupLine($"{name}: {duration.TotalSeconds:0} s …");
                results.Add(await ClosedLoop.RunAsync(name, 1, duration, async (i, token) =>
                {
                    await model.AnswerAsync(new ModelInput(question, globals[i % globals.Count]), token);
                    return true;
                }, cancellationToken));
            }

            await using (var cluster = await LoopbackCluster.StartAsync(new ServerSettings(), _ => new PpOcrReader(reader), edge, edgeNodes: 1,
                devicesPerEdge: loaded, logLevel: LogLevel.Error, cancellationToken: cancellationToken))
            {
                var options = new QueryOptions(TimeSpan.FromSeconds(60), RetransmitPolicy.Never);
                async Task<bool> Ask(int i, CancellationToken token)
                {
                    var outcome = await cluster.Devices[i % cluster.Devices.Count].Ask<QueryOutcome>(
                        new AskQuestion(cameraFrames[i % cameraFrames.Count], question, options), TimeSpan.FromSeconds(120), token);
                    return outcome.IsAnswered;
                }
                await Ask(0, cancellationToken); // warm-up: the model loads on the first call
                foreach (var callers in new[] { 1, loaded })
                {
                    var name = $"actor path (global pass), {callers} asker(s)";
                    AnsiConsole.MarkupLine($"{name}: {duration.TotalSeconds:0} s …");
                    results.Add(await ClosedLoop.RunAsync(name, callers, duration, Ask, cancellationToken));
                }
            }

            Print(results);
            if (parse.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "results.json"),
                    JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            }
            return results.All(r => r.Failed == 0) ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// Camera frames at the global image's own size (the edge then only re-encodes; the demo's generator), and the
    /// global JPEGs the edge would send for them, decoded and made as the edge does.
    /// </summary>
    private static (List<byte[]> Frames, List<byte[]> Globals) Render(int count, EdgeSettings edge)
    {
        var width = edge.GlobalLongSide;
        var frames = DemoFrameSet.Generate(count, width, width * 3 / 4, minTextHeight: 20, maxTextHeight: 32, seed: 100).Select(f => f.Jpeg).ToList();
        var globals = frames.Select(jpeg =>
        {
            using var bitmap = SafeImageDecoder.Decode(jpeg);
            return GlobalImageMaker.Make(bitmap, edge.GlobalLongSide, edge.GlobalJpegQuality).Bytes;
        }).ToList();
        return (frames, globals);
    }

    private static void Print(IReadOnlyList<ThroughputFigures> results)
    {
        static string F(double v, string format) => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("loop", "answered", "failed", "queries/s", "p50 s", "p95 s");
        foreach (var r in results) table.AddRow(Markup.Escape(r.Name), r.Answered.ToString(CultureInfo.InvariantCulture), r.Failed.ToString(CultureInfo.InvariantCulture),
            F(r.PerSecond, "0.00"), F(r.P50, "0.000"), F(r.P95, "0.000"));
        AnsiConsole.Write(table);
        var raw = results.Where(r => r.Name.StartsWith("raw", StringComparison.Ordinal)).MaxBy(r => r.PerSecond);
        if (raw is null || raw.PerSecond == 0) return;
        foreach (var actor in results.Where(r => r.Name.StartsWith("actor", StringComparison.Ordinal)))
            Console.WriteLine($"{actor.Name}: {actor.PerSecond / raw.PerSecond:0.00} × the queries/s of the best raw loop ({raw.Name})");
    }
}

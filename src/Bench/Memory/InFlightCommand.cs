using System.CommandLine;
using System.Diagnostics;
using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Imaging;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using SkiaSharp;
using Spectre.Console;

namespace CollabVlm.Bench.Memory;

/// <summary>
/// <c>in-flight</c>: many questions at once on one server of a loopback cluster whose model is
/// blocked (<see cref="GatedModel"/>), so they pile up. Reports the process's resident memory
/// before and while they wait, how full each bounded queue got, and which bound refused how many
/// questions; then opens the model and checks that every question got exactly one outcome.
/// </summary>
public static class InFlightCommand
{
    public static Command Build()
    {
        var questions = new Option<int>("--questions") { DefaultValueFactory = _ => 1000 };
        var maxInFlight = new Option<int?>("--max-in-flight") { Description = "Server:MaxInFlight (default: the server's)" };
        var queue = new Option<int?>("--inference-queue") { Description = "Server:InferenceQueueCapacity (default: the server's)" };
        var devices = new Option<int?>("--devices") { Description = "edge devices over 2 edge nodes (default: enough that the edges' own bound admits every question)" };
        var frameSide = new Option<int>("--frame-width") { DefaultValueFactory = _ => 640, Description = "camera frame width (4:3); the edge keeps each pending query's frame decoded" };
        var rate = new Option<double>("--rate") { DefaultValueFactory = _ => 20, Description = "questions asked per second (the edges decode and encode every frame; all at once would starve the nodes' heartbeats on 2 cores)" };
        var hold = new Option<int>("--hold-seconds") { DefaultValueFactory = _ => 90, Description = "longest wait for the queues to settle before the model opens" };

        var command = new Command("in-flight", "memory and queue bounds with many questions waiting on one server");
        foreach (var o in new Option[] { questions, maxInFlight, queue, devices, frameSide, rate, hold }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(questions);
            var server = new ServerSettings();
            server = server with
            {
                MaxInFlight = parse.GetValue(maxInFlight) ?? server.MaxInFlight,
                InferenceQueueCapacity = parse.GetValue(queue) ?? server.InferenceQueueCapacity,
                // Questions must wait for the model as long as the hold lasts, not time out of the queues first.
                GlobalInferenceTimeout = TimeSpan.FromMinutes(10),
            };
            // A shared 2-core machine can take seconds to deliver an acceptance; the default 3 s would turn
            // that into re-submissions and "no server accepted it", which is not what this bench measures.
            // No text scan: the simulated cameras share the servers' cores (a real camera scans on its own CPU).
            var edge = new EdgeSettings { AcceptTimeout = TimeSpan.FromSeconds(30), ProposeRegions = false };
            var deviceCount = parse.GetValue(devices) ?? (n + edge.MaxPendingQueries - 1) / edge.MaxPendingQueries;
            var problem = n < 1 || deviceCount < 1 || parse.GetValue(rate) <= 0 ? "--questions, --devices and --rate must be positive" : server.Validate();
            if (problem is not null)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 2;
            }
            var frame = Frame(parse.GetValue(frameSide));
            var model = new GatedModel();
            await using (var cluster = await LoopbackCluster.StartAsync(server, _ => model, edge, edgeNodes: 2, devicesPerEdge: (deviceCount + 1) / 2,
                cancellationToken: cancellationToken))
            {
                GC.Collect();
                var baselineRss = ProcessMemory.Resident();
                var options = new QueryOptions(TimeSpan.FromMinutes(10), RetransmitPolicy.Never);
                var asks = new List<Task<QueryOutcome>>(n);
                var pace = Stopwatch.StartNew();
                for (var i = 0; i < n; i++)
                {
                    var due = TimeSpan.FromSeconds(i / parse.GetValue(rate)) - pace.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                    asks.Add(cluster.Devices[i % cluster.Devices.Count]
                        .Ask<QueryOutcome>(new AskQuestion(frame, $"What does sign {i} say?", options), TimeSpan.FromSeconds(900), cancellationToken));
                }

                var probe = new QueueProbe(cluster.ServerSystem);
                var settled = await probe.WaitUntilSettledAsync(asks, TimeSpan.FromSeconds(parse.GetValue(hold)), cancellationToken);
                var holdRss = ProcessMemory.Resident();
                var managed = GC.GetTotalMemory(forceFullCollection: false);
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                model.Open();
                var outcomes = await Task.WhenAll(asks);

                var table = new Table().AddColumns("bound", "setting", "limit", "peak use", "questions it refused");
                var refusals = outcomes.Where(o => o.Failed is not null).GroupBy(o => RefusedBy(o.Failed!)).ToDictionary(g => g.Key, g => g.Count());
                table.AddRow("edge device: unanswered queries", "Edge:MaxPendingQueries", $"{edge.MaxPendingQueries} × {cluster.Devices.Count} devices", "—", refusals.GetValueOrDefault("edge").ToString());
                table.AddRow("server gateway: queries in flight", "Server:MaxInFlight", server.MaxInFlight.ToString(), probe.PeakInFlight.ToString(), refusals.GetValueOrDefault("gateway").ToString());
                table.AddRow("inference queue (+1 running)", "Server:InferenceQueueCapacity", server.InferenceQueueCapacity.ToString(), probe.PeakQueued.ToString(), refusals.GetValueOrDefault("inference").ToString());
                AnsiConsole.Write(table);
                foreach (var (by, count) in refusals.Where(r => r.Key is not ("edge" or "gateway" or "inference")))
                    Console.WriteLine($"other failures: {by}: {count}");
                Console.WriteLine($"{n} questions on {cluster.Devices.Count} edge devices, 1 server; queues {(settled ? "settled" : "still moving at the hold limit")}; " +
                    $"answered {outcomes.Count(o => o.IsAnswered)}, failed {outcomes.Count(o => !o.IsAnswered)}, model calls {model.Calls}");
                Console.WriteLine($"resident memory (whole process: server + 2 edge nodes): {Mb(baselineRss)} MB idle after start, {Mb(holdRss)} MB with the questions waiting " +
                    $"(+{Mb(holdRss - baselineRss)} MB), peak {Mb(ProcessMemory.PeakResident())} MB; managed heap {Mb(managed)} MB ({Mb(committed)} MB committed); " +
                    $"of the increase, the edges' decoded frames of the pending queries ≈ {Mb(probe.PeakInFlight * (long)FramePixels(parse.GetValue(frameSide)) * 4)} MB (RGBA, one per pending query)");
                var outcomesPerQuestion = outcomes.GroupBy(o => o.QueryId).Max(g => g.Count());
                return outcomes.Length == n && outcomesPerQuestion == 1 ? 0 : 1;
            }
        });
        return command;
    }

    /// <summary>Which bound a failed question met, from the refusal the bound's owner writes.</summary>
    private static string RefusedBy(QueryFailed failed) => failed.Message switch
    {
        var m when failed.Reason == FailureReason.Busy && m.Contains("unanswered queries (limit", StringComparison.Ordinal) => "edge",
        var m when failed.Reason == FailureReason.Busy && m.Contains("queries in flight (limit", StringComparison.Ordinal) => "gateway",
        var m when failed.Reason == FailureReason.Busy && m.Contains("inference queue is full", StringComparison.Ordinal) => "inference",
        var m => $"{failed.Reason}: {m}",
    };

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private static int FramePixels(int width) => width * (width * 3 / 4);

    private static byte[] Frame(int width)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, width * 3 / 4, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(70, 110, 150));
            using var paint = new SKPaint { Color = SKColors.White };
            for (var i = 0; i < 12; i++) canvas.DrawRect(i * width / 12f, (i % 4) * width / 16f, width / 30f, width / 20f, paint);
        }
        return JpegEncoder.Encode(bitmap, 85).Bytes;
    }
}

using System.CommandLine;
using Spectre.Console;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// <c>chaos</c>: runs the shipped server and edge executables as real processes under a fault schedule and accounts
/// for every question. Exit code 0 when none was lost (and none ended twice), 1 otherwise, 2 for bad flags or a run
/// that could not be set up.
/// </summary>
public static class ChaosCommand
{
    public static Command Build()
    {
        var servers = new Option<int>("--servers") { Description = "collabvlm-server processes", DefaultValueFactory = _ => 3 };
        var edges = new Option<int>("--edges") { Description = "collabvlm-edge serve processes", DefaultValueFactory = _ => 2 };
        var cameras = new Option<int>("--cameras") { Description = "simulated cameras per edge process", DefaultValueFactory = _ => 25 };
        var questions = new Option<int>("--questions") { Description = "questions in all (spread over the cameras, rounded up)", DefaultValueFactory = _ => 1000 };
        var interval = new Option<TimeSpan?>("--interval") { Description = "each camera asks this often, e.g. 00:00:30 (default 30 s)" };
        var rate = new Option<double?>("--rate") { Description = "questions per second over all cameras (instead of --interval)" };
        var deadline = new Option<TimeSpan>("--deadline") { Description = "each question's deadline", DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };
        var frames = new Option<int>("--frames") { Description = "distinct frames rendered before the run", DefaultValueFactory = _ => 16 };
        var network = new Option<ChaosNetwork>("--network") { Description = "auto (namespaces when root with ip netns and tc) | loopback | namespaces", DefaultValueFactory = _ => ChaosNetwork.Auto };
        var edgeLink = new Option<string?>("--edge-link") { Description = "each edge's link, RATE[,DELAY[,LOSS%]], e.g. 10mbit,25ms,0.1% (namespaces only)" };
        var serverLink = new Option<string?>("--server-link") { Description = "each server's link, same form (namespaces only)" };
        var faults = new Option<string[]>("--fault") { Description = "\"AT ACTION TARGETS [| OTHERS] [for DURATION] [RATE]\": 60s kill server1 | 60s term server1 | 60s stop server1 for 20s | 90s restart server1 | 60s partition edges | servers for 30s | 60s rate edge0 250kbit (repeatable)", AllowMultipleArgumentsPerToken = false };
        var downAfter = new Option<TimeSpan?>("--down-after") { Description = "every node's Cluster:DownUnreachableAfter (default: the nodes' own, 20 s)" };
        var output = new Option<string>("--out") { Description = "folder for report.md, results.json, timeline.png and the nodes' logs", DefaultValueFactory = _ => "chaos-out" };
        var serverDll = new Option<string?>("--server-dll") { Description = "collabvlm-server.dll (default: the one built with this bench)" };
        var edgeDll = new Option<string?>("--edge-dll") { Description = "collabvlm-edge.dll (default: the one built with this bench)" };
        var modelDir = new Option<string?>("--model-dir") { Description = "the servers' --model-dir" };
        var serverCores = new Option<string?>("--server-cores") { Description = "pin servers to CPUs with taskset: lists separated by ';', server i gets entry i mod count, e.g. \"0;1\"" };
        var serverSpinning = new Option<bool?>("--server-spinning") { Description = "the servers' ONNX Runtime intra-op spinning (Model:IntraOpSpinning), true or false" };

        var command = new Command("chaos", "run servers and edges as real processes under faults (kill, term, stop, restart, partition, rate) and account for every question");
        foreach (var o in new Option[] { servers, edges, cameras, questions, interval, rate, deadline, frames, network, edgeLink, serverLink, faults, downAfter, output, serverDll, edgeDll, modelDir, serverCores, serverSpinning })
            command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ChaosOptions options;
            try
            {
                var cameraCount = parse.GetValue(edges) * parse.GetValue(cameras);
                if (cameraCount < 1) throw new FormatException("--edges and --cameras must be at least 1");
                if (parse.GetValue(rate) is <= 0) throw new FormatException("--rate must be positive");
                if (parse.GetValue(interval) is not null && parse.GetValue(rate) is not null) throw new FormatException("give --interval or --rate, not both");
                var every = parse.GetValue(rate) is { } r ? TimeSpan.FromSeconds(cameraCount / r) : parse.GetValue(interval) ?? TimeSpan.FromSeconds(30);
                options = new ChaosOptions
                {
                    Servers = parse.GetValue(servers),
                    Edges = parse.GetValue(edges),
                    CamerasPerEdge = parse.GetValue(cameras),
                    QuestionsPerCamera = Math.Max(1, (parse.GetValue(questions) + cameraCount - 1) / cameraCount),
                    AskInterval = every,
                    Deadline = parse.GetValue(deadline),
                    Frames = parse.GetValue(frames),
                    Network = parse.GetValue(network),
                    EdgeLink = parse.GetValue(edgeLink) is { } e ? LinkShape.Parse(e) : LinkShape.Unshaped,
                    ServerLink = parse.GetValue(serverLink) is { } s ? LinkShape.Parse(s) : LinkShape.Unshaped,
                    FaultSpecs = parse.GetValue(faults) ?? [],
                    DownUnreachableAfter = parse.GetValue(downAfter),
                    Output = Path.GetFullPath(parse.GetValue(output)!),
                    ServerDll = parse.GetValue(serverDll) ?? ChaosExecutables.Server,
                    EdgeDll = parse.GetValue(edgeDll) ?? ChaosExecutables.Edge,
                    ModelDir = parse.GetValue(modelDir),
                    ServerCores = parse.GetValue(serverCores)?.Split(';', StringSplitOptions.TrimEntries) ?? [],
                    ServerSpinning = parse.GetValue(serverSpinning),
                };
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
            return await NodeBenchExit.RunAsync(async () =>
            {
                var results = await ChaosRun.RunAsync(options, m => AnsiConsole.WriteLine(m), cancellationToken);
                ChaosReport.Write(options.Output, results, "collabvlm-bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
                ChaosTimelineChart.Write(options.Output, results);
                AnsiConsole.Write(new Markup(Markup.Escape(File.ReadAllText(Path.Combine(options.Output, "report.md")))));
                AnsiConsole.WriteLine($"written: {options.Output}/report.md, results.json, {ChaosTimelineChart.File}");
                return results.ExitCode;
            }, "every node was stopped and the namespaces removed; no report written");
        });
        return command;
    }
}

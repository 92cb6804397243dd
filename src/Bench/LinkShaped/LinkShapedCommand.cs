using System.CommandLine;
using CollabVlm.Bench.Chaos;
using Spectre.Console;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// <c>link-shaped</c>: the link estimator of a real edge process against a kernel-shaped (tbf) link, before and after a
/// rate drop. Exit code 0 when every phase ended within <c>--max-error</c>, 1 otherwise, 2 when the run could not be
/// set up, 130 when cancelled.
/// </summary>
public static class LinkShapedCommand
{
    public static Command Build()
    {
        var rates = new Option<string[]>("--rate") { Description = "shaped rate of a step's first phase, e.g. 1mbit (repeatable; default 1mbit and 10mbit)" };
        var drop = new Option<double>("--drop-factor") { Description = "the second phase runs at rate / this", DefaultValueFactory = _ => 4 };
        var phase = new Option<TimeSpan>("--phase") { Description = "length of each phase, e.g. 00:01:00", DefaultValueFactory = _ => TimeSpan.FromSeconds(60) };
        var askEvery = new Option<TimeSpan>("--ask-every") { Description = "the camera asks this long after each answer", DefaultValueFactory = _ => TimeSpan.FromSeconds(1) };
        var deadline = new Option<TimeSpan>("--deadline") { Description = "each question's deadline", DefaultValueFactory = _ => TimeSpan.FromSeconds(20) };
        var threshold = new Option<double>("--threshold") { Description = "the server's η in bits (0: retransmit nearly every answer, so local layers are uploaded too)", DefaultValueFactory = _ => 0 };
        var maxError = new Option<double>("--max-error") { Description = "largest |error| a phase may end with, as a fraction (exit code 1 beyond)", DefaultValueFactory = _ => 0.15 };
        var frames = new Option<int>("--frames") { Description = "distinct frames rendered before the run", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--out") { Description = "folder for report.md, results.json and the nodes' logs", DefaultValueFactory = _ => "link-shaped-out" };
        var serverDll = new Option<string?>("--server-dll") { Description = "collabvlm-server.dll (default: the one built with this bench)" };
        var edgeDll = new Option<string?>("--edge-dll") { Description = "collabvlm-edge.dll (default: the one built with this bench)" };
        var modelDir = new Option<string?>("--model-dir") { Description = "the server's --model-dir" };

        var command = new Command("link-shaped", "link estimator error and link utilization of a real edge process on a tbf-shaped veth, before and after a rate drop");
        foreach (var o in new Option[] { rates, drop, phase, askEvery, deadline, threshold, maxError, frames, output, serverDll, edgeDll, modelDir })
            command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => NodeBenchExit.RunAsync(async () =>
        {
            var given = parse.GetValue(rates) is { Length: > 0 } r ? r : ["1mbit", "10mbit"];
            var options = new LinkShapedOptions
            {
                Rates = given.Select(t => LinkShape.ParseRate(t) ?? throw new FormatException($"--rate '{t}' is not a rate such as 250kbit or 10mbit")).ToList(),
                DropFactor = parse.GetValue(drop),
                Phase = parse.GetValue(phase),
                AskInterval = parse.GetValue(askEvery),
                Deadline = parse.GetValue(deadline),
                Threshold = parse.GetValue(threshold),
                MaxError = parse.GetValue(maxError),
                Frames = parse.GetValue(frames),
                Output = Path.GetFullPath(parse.GetValue(output)!),
                ServerDll = parse.GetValue(serverDll) ?? ChaosExecutables.Server,
                EdgeDll = parse.GetValue(edgeDll) ?? ChaosExecutables.Edge,
                ModelDir = parse.GetValue(modelDir),
            };
            var results = await LinkShapedRun.RunAsync(options, m => AnsiConsole.WriteLine(m), cancellationToken);
            LinkShapedReport.Write(options.Output, results, "collabvlm-bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            AnsiConsole.Write(new Markup(Markup.Escape(File.ReadAllText(Path.Combine(options.Output, "report.md")))));
            AnsiConsole.WriteLine($"written: {options.Output}/report.md, results.json");
            return results.ExitCode;
        }, "both nodes were stopped and the namespaces removed; no report written"));
        return command;
    }
}

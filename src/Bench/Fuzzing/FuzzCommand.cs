using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace CollabVlm.Bench.Fuzzing;

/// <summary>
/// <c>fuzz</c>: mutated inputs into every entry point that reads received bytes (see
/// <see cref="FuzzTargets"/>); prints inputs/s, the documented errors seen per target, and every
/// crash (an exception type the entry point does not document). Exit 1 on a crash, 3 on a hang.
/// </summary>
public static class FuzzCommand
{
    public static Command Build()
    {
        var inputs = new Option<long>("--inputs") { DefaultValueFactory = _ => 1_000_000, Description = "mutated inputs in all, shared round-robin by the targets" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var from = new Option<long>("--from") { Description = "first input index (with --inputs 1: replay one input)" };
        var bound = new Option<int>("--time-bound-ms") { DefaultValueFactory = _ => 10_000, Description = "one input running longer is a hang" };
        var output = new Option<string?>("--output") { Description = "folder for crashing inputs (default: not written)" };

        var command = new Command("fuzz", "fuzz the protocol deserializer and the image decoders with mutated inputs");
        foreach (var o in new Option[] { inputs, seed, from, bound, output }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(inputs) < 1 || parse.GetValue(bound) < 1 || parse.GetValue(from) < 0)
            {
                Console.Error.WriteLine("error: --inputs and --time-bound-ms must be positive, --from not negative");
                return Task.FromResult(2);
            }
            using var fuzz = new FuzzTargets();
            var runner = new FuzzRunner(fuzz.Targets, parse.GetValue(seed), TimeSpan.FromMilliseconds(parse.GetValue(bound)), parse.GetValue(output));
            var clock = Stopwatch.StartNew();
            var reports = runner.Run(parse.GetValue(from), parse.GetValue(inputs), Console.WriteLine, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;

            var table = new Table().AddColumns("target", "inputs", "accepted", "documented errors (count)", "crashes", "slowest (ms)");
            foreach (var r in reports)
                table.AddRow(Markup.Escape(r.Name), r.Inputs.ToString(), r.Accepted.ToString(),
                    Markup.Escape(string.Join(", ", r.Errors.Select(e => $"{e.Key} {e.Value}"))), r.CrashCount.ToString(), r.SlowestMs.ToString("0.0"));
            AnsiConsole.Write(table);
            var total = reports.Sum(r => r.Inputs);
            var crashes = reports.Sum(r => r.CrashCount);
            Console.WriteLine($"{total} inputs in {seconds:0.0} s ({total / seconds:0} inputs/s), seed {parse.GetValue(seed)}, {crashes} crashes, " +
                $"{reports.SelectMany(r => r.Errors.Keys).Distinct().Count()} distinct documented error types");
            foreach (var c in reports.SelectMany(r => r.Crashes))
                Console.WriteLine($"crash: {c.Target} input {c.Index}: {c.ExceptionType}: {c.Message}{(c.ReproducerPath is null ? "" : $" ({c.ReproducerPath})")}");
            return Task.FromResult(crashes == 0 ? 0 : 1);
        });
        return command;
    }
}

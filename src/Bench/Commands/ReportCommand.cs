using System.CommandLine;
using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using Spectre.Console;

namespace CollabVlm.Bench.Commands;

/// <summary><c>report --run DIR</c>: recompute report.md, results.json and the charts from a run's questions.jsonl (no model calls).</summary>
public static class ReportCommand
{
    public static Command Build()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "the --out folder of `collabvlm-bench run`", Required = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "where to write (default: the run folder itself)" };
        var command = new Command("report", "rewrite a run's report.md, results.json and charts from its questions.jsonl");
        var budget = new Option<double?>("--budget") { Description = "replay the Server:RetransmitBudget gate at this share (0..1) on the run's records, in question order" };
        var window = new Option<int?>("--budget-window") { Description = "recent answers the replayed budget ranks among (default: Server:RetransmitBudgetWindow, 200)" };
        command.Options.Add(run);
        command.Options.Add(output);
        command.Options.Add(budget);
        command.Options.Add(window);
        var bytes = new Option<long?>("--budget-bytes") { Description = "replay the Server:RetransmitBytesPerQuery gate at this many extra bytes per query on the run's records, in question order" };
        command.Options.Add(bytes);
        command.SetAction(async (parse, _) =>
        {
            var folder = parse.GetValue(run)!.FullName;
            try
            {
                var records = RunRecords.Read(folder);
                var context = RunRecords.ReadContext(folder);
                if (parse.GetValue(budget) is { } share)
                {
                    if (!(share is >= 0 and <= 1) || parse.GetValue(window) is < 10)
                        throw new DatasetFormatException("--budget must be a share in [0, 1] and --budget-window ≥ 10");
                    context = context with { Budget = share, BudgetWindow = parse.GetValue(window) ?? context.BudgetWindow, BudgetReplayed = context.Budget is null || !context.Direct };
                }
                if (parse.GetValue(bytes) is { } perQuery)
                {
                    if (perQuery < 0 || parse.GetValue(budget) is not null || parse.GetValue(window) is < 10)
                        throw new DatasetFormatException("--budget-bytes must be ≥ 0, without --budget, and --budget-window ≥ 10");
                    context = context with { Budget = null, BudgetBytes = perQuery, BudgetWindow = parse.GetValue(window) ?? context.BudgetWindow };
                }
                if (records.Count == 0)
                    throw new DatasetFormatException($"{Path.Combine(folder, BenchRunner.QuestionsFile)} holds no question");
                var target = parse.GetValue(output)?.FullName ?? folder;
                Directory.CreateDirectory(target);
                var results = RunAnalysis.Analyse(records, context);
                var charts = RunCharts.Write(target, results, records);
                var commandLine = File.Exists(Path.Combine(folder, RunReport.ReportFile))
                    ? File.ReadLines(Path.Combine(folder, RunReport.ReportFile)).FirstOrDefault(l => l.StartsWith("- command: `", StringComparison.Ordinal))?[12..].TrimEnd('`') ?? "collabvlm-bench run"
                    : "collabvlm-bench run";
                RunReport.Write(target, results, charts, commandLine);
                AnsiConsole.MarkupLine($"rewrote the report of {records.Count} questions in {Markup.Escape(target)}");
                return 0;
            }
            catch (DatasetFormatException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}

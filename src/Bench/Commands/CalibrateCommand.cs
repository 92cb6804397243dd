using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CollabVlm.Actors.Server;
using CollabVlm.Bench.Calibration;
using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.TwoStage;
using Spectre.Console;

namespace CollabVlm.Bench.Commands;

/// <summary>
/// <c>calibrate --dataset DIR --target-share 0.25 | --target-accuracy A</c>: η chosen on a
/// calibration split, reported on the held-out split, written as a server settings file.
/// </summary>
public static class CalibrateCommand
{
    public static Command Build()
    {
        var dataset = new Option<DirectoryInfo?>("--dataset") { Description = "data set folder: the model is run in-process over it" };
        var fromRun = new Option<DirectoryInfo?>("--from-run") { Description = "instead of --dataset: reuse the questions.jsonl of a `run --out DIR` (no model calls)" };
        var share = new Option<double?>("--target-share") { Description = "retransmission-share budget, e.g. 0.25" };
        var accuracy = new Option<double?>("--target-accuracy") { Description = "exact-match accuracy to reach, e.g. 0.9" };
        var fraction = new Option<double>("--calibration-fraction") { Description = "share of questions η is chosen on; the rest is held out", DefaultValueFactory = _ => 0.5 };
        var seed = new Option<int>("--seed") { Description = "seed of the split (and of the random baseline)", DefaultValueFactory = _ => 1 };
        var measure = new Option<UncertaintyMeasure>("--measure") { DefaultValueFactory = _ => UncertaintyMeasure.MinEntropy, Description = "the gate's measure" };
        var aggregation = new Option<TokenAggregation>("--aggregation") { DefaultValueFactory = _ => TokenAggregation.Mean, Description = "the gate's aggregation over tokens" };
        var settingsOut = new Option<FileInfo>("--settings-out") { Description = "server settings file to write", DefaultValueFactory = _ => new FileInfo("calibrated-server.json") };
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var limit = new Option<int?>("--limit") { Description = "only the first N questions" };

        var command = new Command("calibrate", "choose η on a calibration split, report it on the held-out split, write a server settings file");
        foreach (var o in new Option[] { dataset, fromRun, share, accuracy, fraction, seed, measure, aggregation, settingsOut, modelDir, limit }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(share) is null == parse.GetValue(accuracy) is null || parse.GetValue(dataset) is null == parse.GetValue(fromRun) is null)
            {
                await Console.Error.WriteLineAsync("error: give exactly one of --target-share and --target-accuracy, and exactly one of --dataset and --from-run");
                return 2;
            }
            if (parse.GetValue(share) is < 0 or > 1 || parse.GetValue(accuracy) is < 0 or > 1 || parse.GetValue(fraction) is <= 0 or >= 1)
            {
                await Console.Error.WriteLineAsync("error: --target-share and --target-accuracy are fractions in [0, 1]; --calibration-fraction lies strictly between 0 and 1");
                return 2;
            }
            var spec = new UncertaintySpec(parse.GetValue(measure), parse.GetValue(aggregation));
            IReadOnlyList<QuestionRecord> records;
            try
            {
                records = parse.GetValue(fromRun) is { } run
                    ? RunRecords.Read(run.FullName)
                    : await Measure(DatasetManifest.Load(parse.GetValue(dataset)!.FullName), parse.GetValue(modelDir), cancellationToken);
            }
            catch (DatasetFormatException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
            if (parse.GetValue(limit) is { } n) records = records.Take(n).ToList();
            if (records.Count < 2)
            {
                await Console.Error.WriteLineAsync("error: calibration needs at least 2 questions");
                return 2;
            }

            var outcome = ThresholdCalibrator.Calibrate(RunAnalysis.Cases(records, spec.ToString()), spec.ToString(), parse.GetValue(share), parse.GetValue(accuracy),
                parse.GetValue(fraction), parse.GetValue(seed));
            if (outcome is null)
            {
                await Console.Error.WriteLineAsync($"error: no η reaches accuracy {parse.GetValue(accuracy)} on the calibration split (always-retransmit is the ceiling)");
                return 1;
            }
            var file = parse.GetValue(settingsOut)!.FullName;
            ServerSettingsFile.Write(file, outcome.Threshold, spec);
            Print(outcome, file);
            await File.WriteAllTextAsync(Path.ChangeExtension(file, ".report.json"), JsonSerializer.Serialize(outcome, RunReport.Json), CancellationToken.None);
            return 0;
        });
        return command;
    }

    /// <summary>The direct passes (global and refined, in-process) over the data set.</summary>
    private static async Task<IReadOnlyList<QuestionRecord>> Measure(Dataset set, string? modelDir, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"collabvlm-calibrate-{Environment.ProcessId}");
        var edge = RunCommandOptions.EdgeFor(null);
        var settings = new RunSettings(set.Folder, folder, new ServerSettings().Threshold, 1, Direct: true, null, 0, new ServerSettings(), edge,
            new ReaderOptions { ModelDirectory = modelDir, GlobalLongSide = edge.GlobalLongSide }, TimeSpan.FromSeconds(60));
        BenchRunner.Outcome outcome = null!;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"{set.Items.Count} questions (in-process)", maxValue: set.Items.Count);
            outcome = await new BenchRunner(settings).RunAsync(set, (done, _) => task.Value = done, null, cancellationToken);
        });
        Directory.Delete(folder, recursive: true);
        return outcome.Records;
    }

    private static void Print(CalibrationOutcome o, string file)
    {
        string P(double v) => v.ToString("P1", CultureInfo.InvariantCulture);
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var table = new Table().Title($"{o.Measure}: η = {F(o.Threshold)} chosen for {o.Target} on {o.CalibrationQuestions} questions; held out: {o.HeldOutQuestions}")
            .AddColumns("", "accuracy (EM)", "ANLS", "extra cost", "retransmission share", "retransmitted");
        void Row(string name, GatePoint p) => table.AddRow(name, P(p.AccuracyEm), F(p.AccuracyAnls), p.ExtraCost.ToString("0.00", CultureInfo.InvariantCulture), F(p.RetransmissionShare), $"{p.Retransmitted}/{p.Questions}");
        Row("calibration split, gated", o.OnCalibration);
        Row("[bold]held out, gated[/]", o.OnHeldOut);
        Row("held out, global only", o.HeldOutGlobalOnly);
        Row("held out, always retransmit", o.HeldOutAlways);
        Row("held out, random at the same rate", o.HeldOutRandom);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"server settings written to {Markup.Escape(file)}: start the server with [bold]--config {Markup.Escape(file)}[/]");
    }
}

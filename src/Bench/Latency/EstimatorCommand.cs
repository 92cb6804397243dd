using System.CommandLine;
using System.Globalization;
using CollabVlm.Actors.Server;
using CollabVlm.Bench.Demo;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference.Reader;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CollabVlm.Bench.Latency;

/// <summary>
/// <c>estimator</c>: the link estimator's error after the latency benchmark's gated run (same links, same kind of
/// frames), repeated over several frame seeds so that one lucky or unlucky set of uploads does not make the figure.
/// </summary>
public static class EstimatorCommand
{
    public static Command Build()
    {
        var frameSet = new FrameSetOptions(defaultFrames: 8);
        var seeds = new Option<int>("--seeds") { Description = "frame sets to run per link (seeds --seed, --seed+1, …)", DefaultValueFactory = _ => 5 };
        var modelDir = new Option<string?>("--model-dir") { Description = "folder with the PP-OCRv4 files" };
        var command = new Command("estimator", "link estimator error on the shaped 1 Mbit/s and 10 Mbit/s uplinks, median over several frame sets");
        frameSet.AddTo(command);
        command.Options.Add(seeds);
        command.Options.Add(modelDir);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var runs = parse.GetValue(seeds);
            if ((frameSet.Problem(parse) ?? (runs < 1 ? "--seeds must be at least 1" : null)) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            var reader = new ReaderOptions { ModelDirectory = parse.GetValue(modelDir) };
            using var models = new BenchModels(reader);
            var runner = new LatencyRunner(reader, new ServerSettings(), models, LogLevel.Critical);
            var (count, width, height) = (parse.GetValue(frameSet.Frames), parse.GetValue(frameSet.Width), parse.GetValue(frameSet.Height));
            var (minText, maxText, firstSeed) = (parse.GetValue(frameSet.MinText), parse.GetValue(frameSet.MaxText), parse.GetValue(frameSet.Seed));
            var table = new Table().AddColumns("link", "seed", "local uploads", "estimate Mbit/s", "error", "RTT ms", "confidence");
            var medians = new List<string>();
            foreach (var link in ShapedLink.Standard)
            {
                var errors = new List<double>();
                for (var seed = firstSeed; seed < firstSeed + runs; seed++)
                {
                    AnsiConsole.MarkupLine($"{link.Name}: frame set {seed} ({seed - firstSeed + 1}/{runs}) …");
                    var frames = DemoFrameSet.Generate(count, width, height, minText, maxText, seed).ToList();
                    var (samples, estimate) = await runner.RunAsync(link, LatencyStrategy.GatedProgressive, frames, () => { }, cancellationToken);
                    if (estimate is null) continue;
                    var error = Math.Abs(estimate.BytesPerSecond - link.BytesPerSecond) / link.BytesPerSecond;
                    errors.Add(error);
                    table.AddRow(link.Name, Text(seed), Text(samples.Count(s => s.LocalUpload is not null)), (estimate.BytesPerSecond * 8 / 1e6).ToString("0.00", CultureInfo.InvariantCulture),
                        error.ToString("P0", CultureInfo.InvariantCulture), estimate.RoundTrip.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),
                        estimate.Confidence.ToString("0.00", CultureInfo.InvariantCulture));
                }
                errors.Sort();
                medians.Add($"{link.Name} {errors[errors.Count / 2].ToString("P0", CultureInfo.InvariantCulture)}");
            }
            AnsiConsole.Write(table.Title($"median estimator error over {runs} frame sets of {count}: {string.Join(", ", medians)}"));
            return 0;
        });
        return command;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

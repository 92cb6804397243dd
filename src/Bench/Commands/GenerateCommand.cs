using System.CommandLine;
using CollabVlm.Bench.Datasets;
using Spectre.Console;

namespace CollabVlm.Bench.Commands;

/// <summary><c>generate --out DIR --count N --seed S [--photos DIR]</c>: a synthetic scene-text data set.</summary>
public static class GenerateCommand
{
    public static Command Build()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "folder to write manifest.jsonl and images/ into", Required = true };
        var count = new Option<int>("--count") { Description = "questions (one frame each)", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "seed: the same seed gives the same data set", DefaultValueFactory = _ => 1 };
        var photos = new Option<DirectoryInfo?>("--photos") { Description = "folder of .jpg/.png photos to use as backgrounds for half of the frames" };
        var minWidth = new Option<int>("--min-width") { DefaultValueFactory = _ => 2048, Description = "narrowest frame, pixels" };
        var maxWidth = new Option<int>("--max-width") { DefaultValueFactory = _ => 4000, Description = "widest frame, pixels" };
        var minText = new Option<int>("--min-text") { DefaultValueFactory = _ => 8, Description = "smallest cap height, pixels" };
        var maxText = new Option<int>("--max-text") { DefaultValueFactory = _ => 64, Description = "largest cap height, pixels" };
        var distractors = new Option<double>("--distractor-share") { DefaultValueFactory = _ => 0.4, Description = "share of frames with one or two distractor signs" };
        var quality = new Option<int>("--jpeg-quality") { DefaultValueFactory = _ => 90, Description = "JPEG quality of the stored frames" };

        var command = new Command("generate", "write a synthetic scene-text data set (manifest.jsonl + JPEG frames)");
        foreach (var o in new Option[] { output, count, seed, photos, minWidth, maxWidth, minText, maxText, distractors, quality }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new GeneratorSettings(parse.GetValue(count), parse.GetValue(seed), parse.GetValue(photos)?.FullName)
            {
                MinWidth = parse.GetValue(minWidth),
                MaxWidth = parse.GetValue(maxWidth),
                MinTextHeight = parse.GetValue(minText),
                MaxTextHeight = parse.GetValue(maxText),
                DistractorShare = parse.GetValue(distractors),
                JpegQuality = parse.GetValue(quality),
            };
            if (settings.Validate() is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return Task.FromResult(2);
            }
            var folder = parse.GetValue(output)!.FullName;
            IReadOnlyList<DatasetItem> items = [];
            AnsiConsole.Progress().Start(progress =>
            {
                var task = progress.AddTask($"rendering {settings.Count} frames", maxValue: settings.Count);
                items = DatasetGenerator.Generate(folder, settings, done => task.Value = done, cancellationToken);
            });
            var bytes = items.Sum(i => new FileInfo(Path.Combine(folder, i.Image)).Length);
            AnsiConsole.MarkupLine($"wrote {items.Count} questions to {Markup.Escape(folder)} ({bytes / 1e6:0.0} MB of frames, {items.Count(i => i.Distractors > 0)} with distractors)");
            return Task.FromResult(0);
        });
        return command;
    }
}

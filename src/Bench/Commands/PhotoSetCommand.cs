using System.CommandLine;
using CollabVlm.Bench.Datasets;
using Spectre.Console;

namespace CollabVlm.Bench.Commands;

/// <summary>
/// <c>photo-set --photos DIR --holdout SOURCE --out DIR [--count N] [--holdout-count M] [--seed S]</c>:
/// signs pasted into real photographs (one subfolder of <c>--photos</c> per source), written as two
/// data sets, <c>tune/</c> and <c>holdout/</c>. <c>scripts/build-photo-set.sh</c> fetches the photos.
/// </summary>
public static class PhotoSetCommand
{
    public static Command Build()
    {
        var photos = new Option<DirectoryInfo>("--photos") { Description = "folder with one subfolder of photographs per source (e.g. per Debian package)", Required = true };
        var holdout = new Option<string>("--holdout") { Description = "the source (subfolder) kept out of tune/ and written to holdout/", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder to write tune/ and holdout/ into", Required = true };
        var count = new Option<int>("--count") { Description = "questions in tune/", DefaultValueFactory = _ => 120 };
        var holdoutCount = new Option<int>("--holdout-count") { Description = "questions in holdout/ (0 = none)", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "seed: the same seed and photos give the same sets", DefaultValueFactory = _ => 1 };
        var distractors = new Option<double>("--distractor-share") { Description = "share of frames with one or two more signs", DefaultValueFactory = _ => 0.3 };

        var command = new Command("photo-set", "paste signs into real photographs (perspective, blur, lighting, noise, JPEG): tune/ and holdout/ data sets");
        foreach (var o in new Option[] { photos, holdout, output, count, holdoutCount, seed, distractors }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new PhotoSetSettings(parse.GetValue(photos)!.FullName, parse.GetValue(holdout)!, parse.GetValue(count), parse.GetValue(holdoutCount), parse.GetValue(seed))
            {
                DistractorShare = parse.GetValue(distractors),
            };
            if (settings.Validate() is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return Task.FromResult(2);
            }
            foreach (var (source, list) in PhotoSetBuilder.Sources(settings.PhotosFolder, settings.MinWidth))
                AnsiConsole.MarkupLine($"{Markup.Escape(source)}{(source == settings.Holdout ? " (held out)" : "")}: {list.Count} photos ≥ {settings.MinWidth} px wide");
            var folder = parse.GetValue(output)!.FullName;
            (IReadOnlyList<DatasetItem> Tune, IReadOnlyList<DatasetItem> Holdout) sets = ([], []);
            try
            {
                AnsiConsole.Progress().Start(progress =>
                {
                    var task = progress.AddTask($"rendering {settings.Count + settings.HoldoutCount} frames", maxValue: settings.Count + settings.HoldoutCount);
                    sets = PhotoSetBuilder.Build(folder, settings, done => task.Value = done, cancellationToken);
                });
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }
            AnsiConsole.MarkupLine($"wrote {sets.Tune.Count} questions to {Markup.Escape(Path.Combine(folder, PhotoSetBuilder.TuneFolder))} and {sets.Holdout.Count} to {Markup.Escape(Path.Combine(folder, PhotoSetBuilder.HoldoutFolder))}");
            return Task.FromResult(0);
        });
        return command;
    }
}

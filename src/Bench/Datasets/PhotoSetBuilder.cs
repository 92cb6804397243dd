using CollabVlm.Imaging;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Bench.Datasets;

/// <summary>
/// Builds two data sets in the manifest format from real photographs with signs pasted in
/// (<see cref="PhotoSignRenderer"/>): <c>tune/</c> from every source but the held-out one, and
/// <c>holdout/</c> from that one alone, so a design tuned on the first can be checked on photographs
/// it never saw. Photos narrower than the frame width are skipped rather than upscaled: an
/// upscaled photo has no fine detail of its own, which is exactly what small text competes with.
/// Deterministic for a seed and a photo folder.
/// </summary>
public static class PhotoSetBuilder
{
    public const string TuneFolder = "tune";
    public const string HoldoutFolder = "holdout";

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    private sealed record Plan(int Index, string Photo, int TextHeight, IReadOnlyList<PhotoSign> Signs, int Seed, int Quality, double WidthDraw, double OffsetX, double OffsetY, double Aspect);

    /// <summary>The sources (subfolders) and their usable photos, for the caller to report.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sources(string photosFolder, int minWidth)
    {
        var sources = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(photosFolder).Order(StringComparer.Ordinal))
        {
            var photos = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Order(StringComparer.Ordinal)
                .Where(f => Wide(f, minWidth))
                .ToList();
            sources[Path.GetFileName(folder)] = photos;
        }
        return sources;
    }

    private static bool Wide(string file, int minWidth)
    {
        try
        {
            return SafeImageDecoder.ReadHeader(File.ReadAllBytes(file)).Width >= minWidth;
        }
        catch (ImageDecodeException)
        {
            return false; // not a photo this pipeline can read (the packages also ship odd files)
        }
    }

    /// <summary>Writes <c>tune/</c> and (with a positive hold-out count) <c>holdout/</c> under <paramref name="outFolder"/>; returns their questions.</summary>
    public static (IReadOnlyList<DatasetItem> Tune, IReadOnlyList<DatasetItem> Holdout) Build(string outFolder, PhotoSetSettings settings,
        Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem)
            throw new ArgumentException(problem, nameof(settings));
        var sources = Sources(settings.PhotosFolder, settings.MinWidth);
        var tunePhotos = sources.Where(s => s.Key != settings.Holdout).SelectMany(s => s.Value).ToList();
        var holdoutPhotos = sources[settings.Holdout];
        if (tunePhotos.Count == 0)
            throw new ArgumentException($"no photo at least {settings.MinWidth} px wide outside the held-out source {settings.Holdout}");
        if (settings.HoldoutCount > 0 && holdoutPhotos.Count == 0)
            throw new ArgumentException($"the held-out source {settings.Holdout} has no photo at least {settings.MinWidth} px wide");

        var done = 0;
        var tune = Write(Path.Combine(outFolder, TuneFolder), tunePhotos, settings.Count, settings, settings.Seed, () => progress?.Invoke(++done), cancellationToken);
        var holdout = settings.HoldoutCount > 0
            ? Write(Path.Combine(outFolder, HoldoutFolder), holdoutPhotos, settings.HoldoutCount, settings, unchecked(settings.Seed * 31 + 17), () => progress?.Invoke(++done), cancellationToken)
            : [];
        return (tune, holdout);
    }

    private static List<DatasetItem> Write(string folder, IReadOnlyList<string> photos, int count, PhotoSetSettings settings, int seed, Action progress, CancellationToken cancellationToken)
    {
        var rng = new Random(seed);
        var plans = new List<Plan>(count);
        var order = photos.OrderBy(_ => rng.Next()).ToList();
        for (var i = 0; i < count; i++)
        {
            // Bands cycle so every band gets the same number of questions, rotated each cycle so that band and photo do not lock together.
            var band = PhotoSetSettings.Bands[(i + i / PhotoSetSettings.Bands.Count) % PhotoSetSettings.Bands.Count];
            var height = Math.Max(8, (int)Math.Round(band * (0.92 + 0.16 * rng.NextDouble())));
            var text = SceneTextVocabulary.Pick(rng);
            var signs = new List<PhotoSign> { new(text, height) };
            if (rng.NextDouble() < settings.DistractorShare)
            {
                var n = rng.Next(1, 3);
                while (signs.Count < n + 1)
                {
                    var other = SceneTextVocabulary.Pick(rng);
                    if (signs.Any(s => AnswerScoring.Normalize(s.Text) == AnswerScoring.Normalize(other))) continue;
                    signs.Add(new PhotoSign(other, Math.Max(8, (int)Math.Round(height * (0.6 + 0.6 * rng.NextDouble())))));
                }
            }
            plans.Add(new Plan(i, order[i % order.Count], height, signs, rng.Next(), rng.Next(settings.MinJpegQuality, settings.MaxJpegQuality + 1),
                rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.Next(3) switch { 0 => 4.0 / 3, 1 => 3.0 / 2, _ => 16.0 / 9 }));
        }

        Directory.CreateDirectory(Path.Combine(folder, DatasetGenerator.ImagesFolder));
        var items = new DatasetItem?[count];
        // One photo decoded at a time: a 6000×4000 photo is ~100 MB of pixels.
        foreach (var group in plans.GroupBy(p => p.Photo))
        {
            using var photo = SafeImageDecoder.Decode(File.ReadAllBytes(group.Key));
            foreach (var plan in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                items[plan.Index] = Render(folder, photo, plan, settings, Path.GetFileName(group.Key));
                progress();
            }
        }
        var list = items.Select(i => i!).ToList();
        DatasetManifest.Write(folder, list);
        return list;
    }

    private static DatasetItem Render(string folder, SkiaSharp.SKBitmap photo, Plan plan, PhotoSetSettings settings, string photoName)
    {
        var width = Math.Min(photo.Width, settings.MinWidth + (int)(plan.WidthDraw * (settings.MaxWidth - settings.MinWidth)));
        var height = Math.Min(photo.Height, (int)Math.Round(width / plan.Aspect));
        var crop = new PixelRect((int)(plan.OffsetX * (photo.Width - width)), (int)(plan.OffsetY * (photo.Height - height)), width, height);
        using var frame = PhotoSignRenderer.Render(new PhotoSignRequest(photo, crop, plan.Signs, plan.Seed));
        var id = $"p{plan.Index:D4}";
        var image = $"{DatasetGenerator.ImagesFolder}/{id}.jpg";
        FrameFiles.SaveJpeg(frame.Bitmap, Path.Combine(folder, image), plan.Quality);
        var answer = frame.Signs[0];
        var question = SignQuestion.For(frame.Signs, new Random(plan.Seed));
        return new DatasetItem(id, image, question, [answer.Text], new PixelBox(answer.Box.X, answer.Box.Y, answer.Box.Right, answer.Box.Bottom))
        {
            TextHeightPx = (int)Math.Round(answer.TextHeightPx),
            Distractors = frame.Signs.Count - 1,
            Width = width,
            Height = height,
            Source = photoName,
        };
    }
}

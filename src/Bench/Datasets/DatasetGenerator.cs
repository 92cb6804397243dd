using CollabVlm.Imaging;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Bench.Datasets;

/// <summary>
/// Writes a synthetic scene-text data set: frames with one answer sign each (text, cap height,
/// font, colours, small rotation from <see cref="SceneTextRenderer"/>), procedural or photo
/// backgrounds, and in a share of frames one or two distractor signs elsewhere.
/// <para>
/// The embedded reader ignores the question and reads every line it finds, so a frame with
/// distractors asks about the answer sign by its plate colour ("What does the red sign say?")
/// and the distractors are smaller (35–80 % of the answer's cap height) and never overlap it:
/// the detector map then weighs most around the answer sign, which is where the RoI goes. The
/// global reading of such a frame still contains the distractor whenever it is legible, and then
/// is wrong; the benchmark reports frames with and without distractors apart.
/// </para>
/// Deterministic for a seed (and photo folder).
/// </summary>
public static class DatasetGenerator
{
    public const string ImagesFolder = "images";
    public const string PlainQuestion = "What does the sign say?";

    private static readonly double[] Aspects = [4.0 / 3, 16.0 / 9, 3.0 / 2];

    public static IReadOnlyList<DatasetItem> Generate(string outFolder, GeneratorSettings settings, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate() is { } problem)
            throw new ArgumentException(problem, nameof(settings));
        var photos = settings.PhotosFolder is null ? [] : PhotoFiles(settings.PhotosFolder);
        Directory.CreateDirectory(Path.Combine(outFolder, ImagesFolder));

        var rng = new Random(settings.Seed);
        var items = new List<DatasetItem>(settings.Count);
        for (var i = 0; i < settings.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var width = rng.Next(settings.MinWidth, settings.MaxWidth + 1);
            var height = (int)Math.Round(width / Aspects[rng.Next(Aspects.Length)]);
            var textHeight = rng.Next(settings.MinTextHeight, settings.MaxTextHeight + 1);
            var text = SceneTextVocabulary.Pick(rng);
            var distractors = new List<DistractorSign>();
            if (rng.NextDouble() < settings.DistractorShare)
            {
                var n = rng.Next(1, 3);
                while (distractors.Count < n)
                {
                    var other = SceneTextVocabulary.Pick(rng);
                    if (AnswerScoring.Normalize(other) == AnswerScoring.Normalize(text)) continue;
                    distractors.Add(new DistractorSign(other, Math.Max(6, (int)Math.Round(textHeight * (0.35 + 0.45 * rng.NextDouble())))));
                }
            }
            var background = photos.Count > 0 && rng.Next(2) == 0 ? SceneBackground.Photo
                : rng.Next(2) == 0 ? SceneBackground.Texture : SceneBackground.Gradient;
            var photoIndex = photos.Count > 0 ? rng.Next(photos.Count) : -1;
            var seed = rng.Next();

            using var photo = background == SceneBackground.Photo ? SafeImageDecoder.Decode(File.ReadAllBytes(photos[photoIndex])) : null;
            var request = new SceneTextRequest(width, height, text, textHeight, seed) { Background = background, Photo = photo, Distractors = distractors };
            using var frame = SceneTextRenderer.Render(request);

            var id = $"q{i:D5}";
            var image = $"{ImagesFolder}/{id}.jpg";
            FrameFiles.SaveJpeg(frame.Bitmap, Path.Combine(outFolder, image), settings.JpegQuality);
            var placed = frame.DistractorBoxes.Count;
            var question = placed == 0 ? PlainQuestion : $"What does the {frame.PlateColour} sign say?";
            var box = frame.TextBox;
            items.Add(new DatasetItem(id, image, question, [text], new PixelBox(box.X, box.Y, box.Right, box.Bottom))
            {
                TextHeightPx = textHeight,
                Distractors = placed,
                Width = width,
                Height = height,
            });
            progress?.Invoke(i + 1);
        }
        DatasetManifest.Write(outFolder, items);
        return items;
    }

    private static List<string> PhotoFiles(string folder)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new ArgumentException($"--photos: no .jpg, .jpeg or .png files in {folder}");
        return files;
    }
}

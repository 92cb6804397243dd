using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference.Onnx;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// The embedded default model: a scene-text reader (PP-OCRv4 detector + recognizer) behind the
/// vision-language interface. It answers "what does it say?" questions by reading every text line
/// in reading order; a question that names its sign (colour, place, kind of text, words on it:
/// <see cref="SignQueryParser"/>) is answered from that sign alone, and weights the relevance map.
/// Global pass: read the global image; the detector map is the relevance map.
/// Refined pass: read the local crop too, then keep the surer reading — the one with the lower
/// mean min-entropy per token (an empty reading is maximally unsure, so a local reading that found
/// nothing never replaces a global one that found something).
/// </summary>
public sealed class PpOcrReader : IVisionLanguageModel
{
    private readonly InferenceSession _detectorSession;
    private readonly InferenceSession _recognizerSession;
    private readonly TextDetector _detector;
    private readonly TextRecognizer _recognizer;
    private readonly ReaderOptions _options;
    private readonly ImageLimits _limits;
    private readonly int _vocabularySize;

    public PpOcrReader(ReaderOptions options, ImageLimits? limits = null)
    {
        _options = options;
        _limits = limits ?? ImageLimits.Default;
        var files = ReaderModelFiles.Locate(options.ModelDirectory);
        var table = CharacterTable.Load(files.Keys);
        _vocabularySize = table.Count;
        (_detectorSession, ExecutionProvider) = OnnxSessionFactory.Open(files.Detector, options.ExecutionProvider, options.IntraOpThreads, options.IntraOpSpinning);
        (_recognizerSession, _) = OnnxSessionFactory.Open(files.Recognizer, options.ExecutionProvider, options.IntraOpThreads, options.IntraOpSpinning);
        _detector = new TextDetector(_detectorSession, options);
        _recognizer = new TextRecognizer(_recognizerSession, table);
        ModelDirectory = files.Directory;
    }

    public string Name => "ppocr-v4-reader";

    public int GlobalLongSide => _options.GlobalLongSide;

    /// <summary>The provider the sessions run on: "CUDA", or "CPU (why not CUDA)".</summary>
    public string ExecutionProvider { get; }

    public string ModelDirectory { get; }

    public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken) =>
        Task.Run(() => Answer(input, cancellationToken), cancellationToken);

    private ModelOutput Answer(ModelInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var query = _options.ReadQuestion ? SignQueryParser.Parse(input.Question) : SignQuery.None;
        using var global = SafeImageDecoder.Decode(input.Global, _limits);
        var detection = _detector.Detect(global);
        if (query.NamesASign)
            return AnswerAbout(query, input, global, detection, clock, cancellationToken);
        var globalReading = ReadLines(global, detection.Lines, cancellationToken);
        var chosen = globalReading;
        if (input.Local is not null)
        {
            using var local = SafeImageDecoder.Decode(input.Local, _limits);
            var readings = LocalParts(local, input).Select(part => ReadLines(part.Image, _detector.Detect(part.Image).Lines, cancellationToken)).ToList();
            // Folded from the last runner-up to the region, so a tie goes to the region, as it went to the crop alone.
            chosen = readings.AsEnumerable().Reverse().Aggregate(globalReading, (best, reading) => ChooseSurer(best, reading, _vocabularySize));
        }
        return new ModelOutput(chosen.Text, chosen.Tokens, detection.Relevance, _vocabularySize, clock.Elapsed, RelevanceSource.Detector);
    }

    /// <summary>
    /// A question that names its sign: every sign found is read apart and the one the question means
    /// answers (<see cref="SignChoice"/>), from the global image and, on the refined pass, from the
    /// crop too (the sharper reading of the same sign wins its tie); the relevance map is weighted
    /// towards it. On the global pass a sign that does not have the named colour or words is no answer.
    /// </summary>
    private ModelOutput AnswerAbout(SignQuery query, ModelInput input, SKBitmap global, TextDetection detection, Stopwatch clock, CancellationToken cancellationToken)
    {
        var candidates = Candidates(global, detection.Lines, null, cancellationToken);
        var relevance = SignChoice.Weight(detection.Relevance, query, candidates,
            query.Colour is null ? null : PlateColour.Grid(global, detection.Relevance.Width, detection.Relevance.Height));
        var strict = input.Local is null;
        if (input.Local is not null)
        {
            using var local = SafeImageDecoder.Decode(input.Local, _limits);
            foreach (var part in LocalParts(local, input))
                candidates = [.. candidates, .. Candidates(part.Image, _detector.Detect(part.Image).Lines, part.Area, cancellationToken)];
        }
        var chosen = SignChoice.Choose(query, candidates, strict)?.Reading ?? TextReading.Empty;
        return new ModelOutput(chosen.Text, chosen.Tokens, relevance, _vocabularySize, clock.Elapsed, RelevanceSource.Detector);
    }

    /// <summary>
    /// The local image's crops, each with the part of the frame it shows: the whole image and its box, or each tile
    /// cut out apart (a sign is read within its own crop, never across two). A tile's pixels live until the next one.
    /// </summary>
    private static IEnumerable<(SKBitmap Image, NormalizedBox Area)> LocalParts(SKBitmap local, ModelInput input)
    {
        if (input.LocalTiles is not { Count: > 0 } tiles)
        {
            yield return (local, input.LocalBox ?? new NormalizedBox(0, 0, 1, 1));
            yield break;
        }
        foreach (var tile in tiles)
        {
            using var part = FrameCropper.Crop(local, tile.InImage);
            yield return (part, tile.InFrame);
        }
    }

    /// <summary>The signs in <paramref name="image"/>, boxed in frame coordinates (the image covers <paramref name="within"/>; null = all of it).</summary>
    private List<SignCandidate> Candidates(SKBitmap image, IReadOnlyList<PixelRect> lines, NormalizedBox? within, CancellationToken cancellationToken)
    {
        var area = within ?? new NormalizedBox(0, 0, 1, 1);
        double w = image.Width, h = image.Height;
        var all = lines.ToList();
        var colours = all.Select(l => PlateColour.Of(image, l)).ToList();
        return SignGrouping.Group(all, colours).Select(group =>
        {
            var box = new PixelRect(group.Min(l => l.X), group.Min(l => l.Y), 0, 0);
            box = box with { Width = group.Max(l => l.Right) - box.X, Height = group.Max(l => l.Bottom) - box.Y };
            var normalized = new NormalizedBox(area.X0 + area.Width * box.X / w, area.Y0 + area.Height * box.Y / h,
                area.X0 + area.Width * box.Right / w, area.Y0 + area.Height * box.Bottom / h);
            return new SignCandidate(normalized, ReadLines(image, group, cancellationToken), colours[all.IndexOf(group[0])]);
        }).ToList();
    }

    /// <summary>Reads lines in reading order, dropping lines read with a low score (clutter).</summary>
    public TextReading ReadLines(SKBitmap image, IEnumerable<PixelRect> lines, CancellationToken cancellationToken = default)
    {
        var readings = new List<TextReading>();
        foreach (var line in ReadingOrder.Sort(lines))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reading = _recognizer.Read(image, line);
            if (reading.Text.Trim().Length > 0 && reading.MeanConfidence >= _options.MinLineScore)
                readings.Add(reading);
        }
        return TextReading.Join(readings);
    }

    /// <summary>The rule of the refined pass: the reading with the lower mean min-entropy wins; ties keep the local one.</summary>
    public static TextReading ChooseSurer(TextReading global, TextReading local, int vocabularySize)
    {
        if (local.Tokens.Count == 0 && global.Tokens.Count > 0) return global;
        var spec = UncertaintySpec.Default;
        var g = UncertaintyScore.Score(global.Tokens, spec, vocabularySize);
        var l = UncertaintyScore.Score(local.Tokens, spec, vocabularySize);
        return l <= g ? local : global;
    }

    public void Dispose()
    {
        _detectorSession.Dispose();
        _recognizerSession.Dispose();
    }
}

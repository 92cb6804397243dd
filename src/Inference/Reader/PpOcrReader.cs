using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// The embedded default model: a scene-text reader (PP-OCRv4 detector + recognizer) behind the
/// vision-language interface. It answers "what does it say?" questions by reading every text line
/// in reading order; the question is validated upstream but does not steer the reading.
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
        (_detectorSession, ExecutionProvider) = OnnxSessionFactory.Open(files.Detector, options.ExecutionProvider, options.IntraOpThreads);
        (_recognizerSession, _) = OnnxSessionFactory.Open(files.Recognizer, options.ExecutionProvider, options.IntraOpThreads);
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
        using var global = SafeImageDecoder.Decode(input.Global, _limits);
        var detection = _detector.Detect(global);
        var globalReading = ReadLines(global, detection.Lines, cancellationToken);
        var chosen = globalReading;
        if (input.Local is not null)
        {
            using var local = SafeImageDecoder.Decode(input.Local, _limits);
            var localReading = ReadLines(local, _detector.Detect(local).Lines, cancellationToken);
            chosen = ChooseSurer(globalReading, localReading, _vocabularySize);
        }
        return new ModelOutput(chosen.Text, chosen.Tokens, detection.Relevance, _vocabularySize, clock.Elapsed, RelevanceSource.Detector);
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

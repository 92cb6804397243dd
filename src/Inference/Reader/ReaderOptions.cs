using CollabVlm.Inference.Onnx;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// Settings of the PP-OCRv4 reader. Defaults follow PaddleOCR's DB post-processing
/// (thresh 0.3, box_thresh 0.6, unclip_ratio 1.5, drop_score 0.5) except the detector size,
/// which is a fixed long side so small global images are upscaled for the detector.
/// </summary>
public sealed record ReaderOptions
{
    /// <summary>Folder holding the detector, recognizer and keys file; null = search (see <see cref="ReaderModelFiles"/>).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Long side of the global image the edge sends, in pixels.</summary>
    public int GlobalLongSide { get; init; } = 768;

    /// <summary>The detector's input long side (rounded to a multiple of 32).</summary>
    public int DetectorLongSide { get; init; } = 960;

    /// <summary>Pixels of the detector map above this are text.</summary>
    public float PixelThreshold { get; init; } = 0.3f;

    /// <summary>A text region is kept when its mean probability reaches this.</summary>
    public float BoxThreshold { get; init; } = 0.6f;

    /// <summary>How far a detected text kernel is grown back to the whole line.</summary>
    public double UnclipRatio { get; init; } = 1.5;

    /// <summary>A read line is dropped when its mean top-1 probability is below this.</summary>
    public double MinLineScore { get; init; } = 0.5;

    /// <summary>Detector map cells are averaged in squares of this many pixels to make the relevance map.</summary>
    public int RelevancePooling { get; init; } = 4;

    /// <summary>
    /// Whether a question that names its sign (colour, place, kind of text, words on it) steers which
    /// sign is read and weights the relevance map; false reads every line whatever the question, as
    /// the reader did before (kept for comparison runs).
    /// </summary>
    public bool ReadQuestion { get; init; } = true;

    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    /// <summary>ONNX Runtime intra-op threads; 0 = its default (all cores).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's idle intra-op threads spin (ONNX Runtime's own default). Off here: spinning threads burn
    /// the cores that other processes, pods or the node's own actors need: two servers sharing two cores carried
    /// 1.6 × more with it off (README, *Throughput*).
    /// </summary>
    public bool IntraOpSpinning { get; init; }
}

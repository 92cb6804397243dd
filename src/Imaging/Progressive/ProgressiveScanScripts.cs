namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Scan scripts for three-component (YCbCr 4:2:0) progressive JPEGs. <see cref="TextFirst"/> is the
/// one used; the others stay because <see cref="ProgressiveJpegProbe"/> compares against them
/// (the figures that chose it are in docs/readme-parts/progressive.md).
/// </summary>
public static class ProgressiveScanScripts
{
    /// <summary>
    /// Tuned for reading small text. Text is a luma signal whose strokes live in the mid and high AC
    /// bands, so after a half-precision DC scan (as small as libjpeg's first scan) the whole luma
    /// band comes coarse-then-fine (successive approximation: strokes appear sharp but noisy at a
    /// fraction of the bytes); colour detail, which a reader barely needs, follows; the last luma
    /// bit, the costliest step (often half the file, much of it sensor noise), is split into three
    /// bands so a layer plan can stop before the high band.
    /// </summary>
    public static IReadOnlyList<ProgressiveScan> TextFirst { get; } =
    [
        ProgressiveScan.Dc(0, 1),
        ProgressiveScan.Ac(0, 1, 5, 0, 2),
        ProgressiveScan.Ac(0, 6, 63, 0, 2),
        ProgressiveScan.Ac(0, 1, 63, 2, 1),
        ProgressiveScan.Dc(1, 0),
        ProgressiveScan.Ac(1, 1, 63, 0, 0),
        ProgressiveScan.Ac(2, 1, 63, 0, 0),
        ProgressiveScan.Ac(0, 1, 9, 1, 0),
        ProgressiveScan.Ac(0, 10, 27, 1, 0),
        ProgressiveScan.Ac(0, 28, 63, 1, 0),
    ];

    /// <summary>As <see cref="TextFirst"/> with full-precision DC first (one scan fewer, larger first scan).</summary>
    public static IReadOnlyList<ProgressiveScan> FullDcTextFirst { get; } =
    [
        ProgressiveScan.Dc(0, 0),
        ProgressiveScan.Ac(0, 1, 5, 0, 2),
        ProgressiveScan.Ac(0, 6, 63, 0, 2),
        ProgressiveScan.Ac(0, 1, 63, 2, 1),
        ProgressiveScan.Ac(1, 1, 63, 0, 0),
        ProgressiveScan.Ac(2, 1, 63, 0, 0),
        ProgressiveScan.Ac(0, 1, 9, 1, 0),
        ProgressiveScan.Ac(0, 10, 27, 1, 0),
        ProgressiveScan.Ac(0, 28, 63, 1, 0),
    ];

    /// <summary>libjpeg's own <c>jpeg_simple_progression</c> for YCbCr (10 scans), the baseline to beat.</summary>
    public static IReadOnlyList<ProgressiveScan> LibJpegSimple { get; } =
    [
        ProgressiveScan.Dc(0, 1),
        ProgressiveScan.Ac(0, 1, 5, 0, 2),
        ProgressiveScan.Ac(2, 1, 63, 0, 1),
        ProgressiveScan.Ac(1, 1, 63, 0, 1),
        ProgressiveScan.Ac(0, 6, 63, 0, 2),
        ProgressiveScan.Ac(0, 1, 63, 2, 1),
        ProgressiveScan.Dc(1, 0),
        ProgressiveScan.Ac(2, 1, 63, 1, 0),
        ProgressiveScan.Ac(1, 1, 63, 1, 0),
        ProgressiveScan.Ac(0, 1, 63, 1, 0),
    ];

    /// <summary>Spectral selection only: luma in widening bands at full precision, chroma last.</summary>
    public static IReadOnlyList<ProgressiveScan> LumaBands { get; } =
    [
        ProgressiveScan.Dc(0, 0),
        ProgressiveScan.Ac(0, 1, 2, 0, 0),
        ProgressiveScan.Ac(0, 3, 9, 0, 0),
        ProgressiveScan.Ac(0, 10, 27, 0, 0),
        ProgressiveScan.Ac(0, 28, 63, 0, 0),
        ProgressiveScan.Ac(1, 1, 63, 0, 0),
        ProgressiveScan.Ac(2, 1, 63, 0, 0),
    ];

    public static IReadOnlyDictionary<string, IReadOnlyList<ProgressiveScan>> All { get; } =
        new Dictionary<string, IReadOnlyList<ProgressiveScan>>(StringComparer.Ordinal)
        {
            ["text-first"] = TextFirst,
            ["full-dc-text-first"] = FullDcTextFirst,
            ["libjpeg-simple"] = LibJpegSimple,
            ["luma-bands"] = LumaBands,
        };
}

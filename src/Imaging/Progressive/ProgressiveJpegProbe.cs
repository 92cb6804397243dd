using SkiaSharp;

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Measures the prefix-quality curve of a progressive JPEG: bytes and PSNR after each scan. This
/// is how the scan script was chosen (figures in docs/readme-parts/progressive.md).
/// </summary>
public static class ProgressiveJpegProbe
{
    public static IReadOnlyList<ScanPrefixQuality> Measure(SKBitmap source, int quality, IReadOnlyList<ProgressiveScan> script)
    {
        var jpeg = ProgressiveJpegEncoder.Encode(source, quality, script);
        return Measure(jpeg, source);
    }

    public static IReadOnlyList<ScanPrefixQuality> Measure(ProgressiveJpeg jpeg, SKBitmap source)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        ArgumentNullException.ThrowIfNull(source);
        using var full = SafeImageDecoder.Decode(jpeg.Bytes);
        var curve = new List<ScanPrefixQuality>(jpeg.ScanCount);
        for (var scans = 1; scans <= jpeg.ScanCount; scans++)
        {
            var prefix = jpeg.Prefix(scans);
            using var decoded = SafeImageDecoder.Decode(prefix);
            curve.Add(new ScanPrefixQuality(
                scans,
                prefix.Length,
                (double)prefix.Length / jpeg.Bytes.Length,
                PeakSignalToNoise.Compute(full, decoded),
                PeakSignalToNoise.Compute(source, decoded),
                PeakSignalToNoise.ComputeLuma(source, decoded)));
        }

        return curve;
    }

    /// <summary>
    /// The best PSNR against the source that a prefix of at most <paramref name="budgetBytes"/>
    /// reaches (0 when not even the first scan fits): what a receiver cut off at that many bytes sees.
    /// </summary>
    public static double PsnrWithinBudget(IReadOnlyList<ScanPrefixQuality> curve, double budgetBytes, bool luma = false)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return curve.Where(c => c.Bytes <= budgetBytes).Select(c => luma ? c.LumaPsnrVsSourceDb : c.PsnrVsSourceDb).DefaultIfEmpty(0).Max();
    }
}

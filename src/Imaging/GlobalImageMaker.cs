using SkiaSharp;

namespace CollabVlm.Imaging;

/// <summary>
/// Makes the downscaled "global image" that travels with every query (docs/architecture.md, "The loop"): the whole
/// frame at the model's input size, as JPEG.
/// </summary>
public static class GlobalImageMaker
{
    private static readonly SKSamplingOptions HalvingSampling = new(SKFilterMode.Linear, SKMipmapMode.None);
    private static readonly SKSamplingOptions FinalSampling = new(SKCubicResampler.Mitchell);

    /// <summary>
    /// A new bitmap whose long side is <paramref name="longSide"/>, aspect kept. Never upscales:
    /// a frame already small enough comes back as an unscaled copy (always a new bitmap, so the
    /// caller owns and disposes the result either way).
    /// </summary>
    public static SKBitmap Resize(SKBitmap frame, int longSide)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfLessThan(longSide, 1);

        if (Math.Max(frame.Width, frame.Height) <= longSide)
            return frame.Copy() ?? throw new InvalidOperationException("SkiaSharp could not copy the frame");

        var (targetWidth, targetHeight) = frame.Width >= frame.Height
            ? (longSide, Math.Max(1, (int)Math.Round((double)frame.Height * longSide / frame.Width, MidpointRounding.AwayFromZero)))
            : (Math.Max(1, (int)Math.Round((double)frame.Width * longSide / frame.Height, MidpointRounding.AwayFromZero)), longSide);

        // A cubic filter has a fixed footprint in source pixels, so one big step (2048→768) would
        // skip source pixels and alias fine detail such as text. Exact halvings with bilinear
        // sampling average 2×2 blocks (a box prefilter); the last step (under 2×) is Mitchell cubic.
        var current = frame;
        try
        {
            while (current.Width >= 2 * targetWidth && current.Height >= 2 * targetHeight)
            {
                var halved = Scale(current, current.Width / 2, current.Height / 2, HalvingSampling);
                if (!ReferenceEquals(current, frame))
                    current.Dispose();
                current = halved;
            }

            // Only reachable after a halving, since the frame itself is larger than the target.
            if (current.Width == targetWidth && current.Height == targetHeight)
                return current;

            var result = Scale(current, targetWidth, targetHeight, FinalSampling);
            if (!ReferenceEquals(current, frame))
                current.Dispose();
            return result;
        }
        catch
        {
            if (!ReferenceEquals(current, frame))
                current.Dispose();
            throw;
        }
    }

    /// <summary>Resize then JPEG at a fixed quality.</summary>
    public static EncodedImage Make(SKBitmap frame, int longSide, int quality)
    {
        using var resized = Resize(frame, longSide);
        return JpegEncoder.Encode(resized, quality);
    }

    /// <summary>
    /// Resize then JPEG, lowering the quality in steps of 10 (finally to <paramref name="minQuality"/>)
    /// until the bytes fit <paramref name="maxBytes"/>; the result carries the quality actually used.
    /// </summary>
    public static EncodedImage MakeWithin(SKBitmap frame, int longSide, int quality, int maxBytes, int minQuality = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(minQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minQuality, quality);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);

        using var resized = Resize(frame, longSide);
        EncodedImage? smallest = null;
        foreach (var tryQuality in QualitySteps(quality, minQuality))
        {
            var encoded = JpegEncoder.Encode(resized, tryQuality);
            if (encoded.Bytes.Length <= maxBytes)
                return encoded;
            smallest = encoded;
        }

        throw new GlobalImageTooLargeException(
            $"a {resized.Width}×{resized.Height} JPEG needs {smallest!.Bytes.Length} bytes even at quality {minQuality}, " +
            $"over the budget of {maxBytes} bytes");
    }

    private static IEnumerable<int> QualitySteps(int quality, int minQuality)
    {
        for (var q = quality; q > minQuality; q -= 10)
            yield return q;
        yield return minQuality;
    }

    private static SKBitmap Scale(SKBitmap source, int width, int height, SKSamplingOptions sampling)
    {
        var info = new SKImageInfo(width, height, source.ColorType, source.AlphaType, source.ColorSpace);
        return source.Resize(info, sampling) ?? throw new InvalidOperationException(
            $"SkiaSharp could not resize a {source.Width}×{source.Height} {source.ColorType}/{source.AlphaType} bitmap to {width}×{height}");
    }
}

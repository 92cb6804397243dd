using System.Runtime.InteropServices;
using SkiaSharp;

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// PSNR in dB between two same-sized bitmaps (alpha ignored): over the R, G and B channels, or
/// over luma alone (BT.601 Y, what a text reader mostly sees: strokes are brightness edges).
/// </summary>
public static class PeakSignalToNoise
{
    /// <summary>What identical images score, instead of +∞, so figures stay finite and comparable.</summary>
    public const double IdenticalDb = 100;

    public static double Compute(SKBitmap reference, SKBitmap other) => Compute(reference, other, luma: false);

    public static double ComputeLuma(SKBitmap reference, SKBitmap other) => Compute(reference, other, luma: true);

    private static double Compute(SKBitmap reference, SKBitmap other, bool luma)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        if (reference.Width != other.Width || reference.Height != other.Height)
            throw new ArgumentException(
                $"sizes differ: {reference.Width}×{reference.Height} against {other.Width}×{other.Height}", nameof(other));

        var a = Rgba(reference);
        var b = Rgba(other);
        double squared = 0;
        for (var i = 0; i < a.Length; i += 4)
        {
            if (luma)
            {
                var d = Luma(a, i) - Luma(b, i);
                squared += d * d;
                continue;
            }

            for (var c = 0; c < 3; c++)
            {
                double d = a[i + c] - b[i + c];
                squared += d * d;
            }
        }

        var mse = squared / ((luma ? 1.0 : 3.0) * reference.Width * reference.Height);
        return mse == 0 ? IdenticalDb : Math.Min(IdenticalDb, 10 * Math.Log10(255.0 * 255.0 / mse));
    }

    private static double Luma(byte[] rgba, int i) => 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];

    private static byte[] Rgba(SKBitmap bitmap)
    {
        var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bytes = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try
        {
            using var pixmap = bitmap.PeekPixels() ?? throw new ArgumentException("a bitmap has no pixels", nameof(bitmap));
            if (!pixmap.ReadPixels(info, handle.AddrOfPinnedObject(), info.RowBytes))
                throw new ArgumentException($"SkiaSharp could not read a {bitmap.ColorType} bitmap as RGBA", nameof(bitmap));
        }
        finally
        {
            handle.Free();
        }

        return bytes;
    }
}

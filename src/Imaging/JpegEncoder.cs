using SkiaSharp;

namespace CollabVlm.Imaging;

/// <summary>Baseline JPEG encoding of a bitmap at an explicit quality.</summary>
public static class JpegEncoder
{
    public static EncodedImage Encode(SKBitmap bitmap, int quality)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);

        using var pixmap = bitmap.PeekPixels()
            ?? throw new ArgumentException("the bitmap has no pixels to encode", nameof(bitmap));

        // 4:2:0 is what cameras and most decoders expect; alpha is dropped because JPEG has none.
        var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
        using var data = pixmap.Encode(options)
            ?? throw new InvalidOperationException(
                $"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} {bitmap.ColorType} bitmap as JPEG");

        return new EncodedImage(data.ToArray(), bitmap.Width, bitmap.Height, quality);
    }
}

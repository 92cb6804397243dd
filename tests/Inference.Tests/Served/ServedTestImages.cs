using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Inference.Tests.Served;

/// <summary>Small real JPEGs for the served-model tests (the stand-in does not look at them; the request carries them).</summary>
public static class ServedTestImages
{
    public static byte[] Jpeg(int width, int height, SKColor colour)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        return JpegEncoder.Encode(bitmap, 80).Bytes;
    }
}

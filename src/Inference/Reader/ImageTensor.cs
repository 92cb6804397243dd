using SkiaSharp;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// Turns pixels into the NCHW float input PaddleOCR models expect: channels in BGR order (the
/// models were trained on OpenCV images), each value (v/255 − mean)/std.
/// </summary>
internal static class ImageTensor
{
    public static float[] FromBitmap(SKBitmap rgba, ReadOnlySpan<float> meanBgr, ReadOnlySpan<float> stdBgr)
    {
        if (rgba.ColorType != SKColorType.Rgba8888)
            throw new ArgumentException($"expected an RGBA8888 bitmap, got {rgba.ColorType}");
        int w = rgba.Width, h = rgba.Height, plane = w * h;
        var data = new float[3 * plane];
        var pixels = rgba.GetPixelSpan();
        var rowBytes = rgba.RowBytes;
        for (var y = 0; y < h; y++)
        {
            var row = pixels.Slice(y * rowBytes, w * 4);
            for (var x = 0; x < w; x++)
            {
                var i = y * w + x;
                // RGBA in memory → B, G, R planes.
                data[i] = (row[4 * x + 2] / 255f - meanBgr[0]) / stdBgr[0];
                data[plane + i] = (row[4 * x + 1] / 255f - meanBgr[1]) / stdBgr[1];
                data[2 * plane + i] = (row[4 * x] / 255f - meanBgr[2]) / stdBgr[2];
            }
        }
        return data;
    }

    /// <summary>Resamples to exactly <paramref name="width"/>×<paramref name="height"/> (up or down).</summary>
    public static SKBitmap Resize(SKBitmap source, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var sampling = width < source.Width || height < source.Height
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        return source.Resize(info, sampling) ?? throw new InvalidOperationException($"could not resize {source.Width}×{source.Height} to {width}×{height}");
    }
}

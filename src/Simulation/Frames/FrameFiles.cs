using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>Writes frames to disk (data sets, demo inputs, debugging dumps).</summary>
public static class FrameFiles
{
    public static void SaveJpeg(SKBitmap bitmap, string path, int quality = 92)
    {
        var encoded = JpegEncoder.Encode(bitmap, quality);
        Write(path, encoded.Bytes);
    }

    public static void SavePng(SKBitmap bitmap, string path)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var pixmap = bitmap.PeekPixels()
            ?? throw new ArgumentException("the bitmap has no pixels to encode", nameof(bitmap));
        using var data = pixmap.Encode(SKPngEncoderOptions.Default)
            ?? throw new InvalidOperationException(
                $"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} {bitmap.ColorType} bitmap as PNG");
        Write(path, data.ToArray());
    }

    private static void Write(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        File.WriteAllBytes(path, bytes);
    }
}

using System.Runtime.InteropServices;
using SkiaSharp;

namespace CollabVlm.Imaging.Tests;

/// <summary>Builds frames pixel by pixel, in the RGBA8888 unpremultiplied layout the decoder produces.</summary>
internal static class TestFrames
{
    public static SKBitmap FromPixels(int width, int height, Func<int, int, (byte R, byte G, byte B)> colorAt)
    {
        var bytes = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = colorAt(x, y);
                var p = (y * width + x) * 4;
                bytes[p] = r;
                bytes[p + 1] = g;
                bytes[p + 2] = b;
                bytes[p + 3] = 255;
            }
        }

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        return bitmap;
    }

    /// <summary>Smooth gradients plus a little texture, so JPEG sizes respond to quality like a photo.</summary>
    public static SKBitmap PhotoLike(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        return FromPixels(width, height, (x, y) => (
            (byte)(x * 255 / width),
            (byte)(y * 255 / height),
            (byte)Math.Clamp(128 + (int)(60 * Math.Sin(x / 7.0) * Math.Cos(y / 11.0)) + rng.Next(-20, 21), 0, 255)));
    }

    public static byte[] Rgba(SKBitmap bitmap)
    {
        Assert.Equal(SKColorType.Rgba8888, bitmap.ColorType);
        var bytes = new byte[bitmap.Width * bitmap.Height * 4];
        Assert.Equal(bitmap.Width * 4, bitmap.RowBytes);
        Marshal.Copy(bitmap.GetPixels(), bytes, 0, bytes.Length);
        return bytes;
    }

    public static (byte R, byte G, byte B) At(byte[] rgba, int width, int x, int y)
    {
        var p = (y * width + x) * 4;
        return (rgba[p], rgba[p + 1], rgba[p + 2]);
    }

    public static byte[] EncodePng(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

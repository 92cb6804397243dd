using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace CollabVlm.Imaging.Tests.Progressive;

/// <summary>
/// ImageSharp's JPEG decoder (only that one), as a second opinion on progressive prefixes: unlike
/// libjpeg-turbo inside SkiaSharp it does no inter-block smoothing, so its output depends on the
/// received coefficients alone.
/// </summary>
internal static class ReferenceJpegDecoder
{
    private static readonly JpegDecoder Jpeg = new();

    public static (int Width, int Height, byte[] Rgb) Decode(byte[] bytes)
    {
        using var image = Image.Load<Rgb24>(bytes, Jpeg);
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        return (image.Width, image.Height, rgb);
    }

    public static double Psnr(byte[] reference, byte[] other)
    {
        Assert.Equal(reference.Length, other.Length);
        double squared = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            double d = reference[i] - other[i];
            squared += d * d;
        }

        var mse = squared / reference.Length;
        return mse == 0 ? CollabVlm.Imaging.Progressive.PeakSignalToNoise.IdenticalDb : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}

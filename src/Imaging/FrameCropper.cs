using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Imaging;

/// <summary>
/// Cuts the detail-preserving local image for a region of interest out of the original frame;
/// boxes arrive normalized (docs/architecture.md, "Protocol"), so they are mapped to this frame's pixels here.
/// </summary>
public static class FrameCropper
{
    /// <summary>
    /// Pixels covering the box: start floored and end ceiled so no part of the requested region is
    /// lost, clamped inside the frame, and at least 1×1.
    /// </summary>
    public static PixelRect ToPixels(NormalizedBox box, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(box);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameHeight, 1);
        var problem = box.Validate();
        if (problem is not null)
            throw new ArgumentException(problem, nameof(box));

        var (x0, x1) = Span(box.X0, box.X1, frameWidth);
        var (y0, y1) = Span(box.Y0, box.Y1, frameHeight);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>A new bitmap holding a copy of the box's pixels (same colour and alpha type as the frame).</summary>
    public static SKBitmap Crop(SKBitmap frame, NormalizedBox box)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rect = ToPixels(box, frame.Width, frame.Height);

        // ExtractSubset shares the frame's memory; copy so the crop outlives the frame.
        using var view = new SKBitmap();
        if (!frame.ExtractSubset(view, new SKRectI(rect.X, rect.Y, rect.Right, rect.Bottom)))
            throw new InvalidOperationException($"SkiaSharp could not cut {rect} out of a {frame.Width}×{frame.Height} frame");
        return view.Copy() ?? throw new InvalidOperationException($"SkiaSharp could not copy the {rect} crop");
    }

    /// <summary>Crop, downscale only if the crop's long side exceeds <paramref name="maxLongSide"/>, then JPEG.</summary>
    public static EncodedImage CropToJpeg(SKBitmap frame, NormalizedBox box, int maxLongSide, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLongSide, 1);
        using var crop = Crop(frame, box);
        if (Math.Max(crop.Width, crop.Height) <= maxLongSide)
            return JpegEncoder.Encode(crop, quality);

        using var resized = GlobalImageMaker.Resize(crop, maxLongSide);
        return JpegEncoder.Encode(resized, quality);
    }

    private static (int Start, int End) Span(double from, double to, int size)
    {
        var start = Math.Clamp((int)Math.Floor(Snap(from * size)), 0, size - 1);
        var end = Math.Clamp((int)Math.Ceiling(Snap(to * size)), start + 1, size);
        return (start, end);
    }

    /// <summary>
    /// A box made as 60/200 of a frame should map back to pixel 60, not 59 or 61 because the
    /// product came out as 59.999999999 or 60.000000001; snap values within a hair of an integer.
    /// </summary>
    private static double Snap(double pixels)
    {
        var nearest = Math.Round(pixels);
        return Math.Abs(pixels - nearest) < 1e-6 ? nearest : pixels;
    }
}

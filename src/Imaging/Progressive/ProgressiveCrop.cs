using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Imaging.Progressive;

/// <summary>The local image for a region of interest as a progressive JPEG (the layered counterpart of <see cref="FrameCropper.CropToJpeg"/>).</summary>
public static class ProgressiveCrop
{
    /// <summary>Crop, downscale only if the crop's long side exceeds <paramref name="maxLongSide"/>, then progressive JPEG.</summary>
    public static ProgressiveJpeg Make(SKBitmap frame, NormalizedBox box, int maxLongSide, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLongSide, 1);
        using var crop = FrameCropper.Crop(frame, box);
        return FromCrop(crop, maxLongSide, quality);
    }

    /// <summary>A region already cut out of its frame: downscale only if its long side exceeds <paramref name="maxLongSide"/>, then progressive JPEG.</summary>
    public static ProgressiveJpeg FromCrop(SKBitmap crop, int maxLongSide, int quality)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLongSide, 1);
        using var resized = GlobalImageMaker.Resize(crop, maxLongSide);
        return ProgressiveJpegEncoder.Encode(resized, quality);
    }
}

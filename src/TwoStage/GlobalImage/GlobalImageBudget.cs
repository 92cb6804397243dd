using CollabVlm.Imaging;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using SkiaSharp;

namespace CollabVlm.TwoStage.GlobalImage;

/// <summary>
/// How many bytes the global image may take so it uploads within
/// <see cref="EdgeSettings.GlobalTargetUploadTime"/> on the link the edge believes it has.
/// With too little confidence in the link view, the plain cap applies.
/// </summary>
public static class GlobalImageBudget
{
    /// <summary>Confidence below which the link view is not trusted to shrink the global image.</summary>
    public const double MinConfidence = 0.3;

    public static int MaxBytes(LinkView link, EdgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(settings);
        if (link.Confidence < MinConfidence) return settings.MaxGlobalBytes;
        var fits = link.BytesWithin(settings.GlobalTargetUploadTime);
        return (int)Math.Clamp(fits, Math.Min(settings.MinGlobalBytes, settings.MaxGlobalBytes), settings.MaxGlobalBytes);
    }

    /// <summary>
    /// The global image for <paramref name="frame"/>: quality lowered (down to
    /// <see cref="EdgeSettings.MinGlobalJpegQuality"/>) until it fits <see cref="MaxBytes"/>. When the
    /// link budget cannot be met even so, the lowest-quality image that fits the message is sent
    /// rather than none.
    /// </summary>
    /// <exception cref="GlobalImageTooLargeException">Not even that fits <see cref="EdgeSettings.MaxGlobalBytes"/>.</exception>
    public static EncodedImage Make(SKBitmap frame, LinkView link, EdgeSettings settings)
    {
        var budget = MaxBytes(link, settings);
        try
        {
            return GlobalImageMaker.MakeWithin(frame, settings.GlobalLongSide, settings.GlobalJpegQuality, budget, settings.MinGlobalJpegQuality);
        }
        catch (GlobalImageTooLargeException) when (budget < settings.MaxGlobalBytes)
        {
            return GlobalImageMaker.MakeWithin(frame, settings.GlobalLongSide, settings.MinGlobalJpegQuality, settings.MaxGlobalBytes, settings.MinGlobalJpegQuality);
        }
    }
}

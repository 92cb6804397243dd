using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>
/// Turns a region request into the layers the edge will stream: the crop's resolution and quality
/// chosen for the link, a progressive JPEG of it, and its scans grouped into layers that arrive in
/// time (docs/progressive-layers.md). Plain code; the edge runs it off the actor thread.
/// </summary>
public static class LocalImageEncoder
{
    /// <summary>Encodes and plans within the request's bounds (resolution, quality, bytes, time) and the link view.</summary>
    public static EncodedLocalImage Encode(SKBitmap frame, LocalImageRequest request, LinkView link, LayerPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(request);
        var bounds = Bounds(settings, request);
        var rect = FrameCropper.ToPixels(request.Box, frame.Width, frame.Height);
        var (longSide, quality) = LayerPlanner.ChooseEncoding(rect.Width, rect.Height, link, request.TimeLeft, bounds);
        var jpeg = ProgressiveCrop.Make(frame, request.Box, longSide, quality);
        var plan = LayerPlanner.Plan(jpeg, link, request.TimeLeft, bounds, request.MaxBytes);
        return new EncodedLocalImage(jpeg.Width, jpeg.Height, jpeg.Quality, plan, plan.Segments(jpeg));
    }

    /// <summary>The server's caps (long side, quality) narrow the edge's own bounds; they never widen them.</summary>
    public static LayerPlanSettings Bounds(LayerPlanSettings settings, LocalImageRequest request)
    {
        var maxLongSide = Math.Max(1, Math.Min(settings.MaxLongSide, request.MaxLongSide));
        var maxQuality = Math.Clamp(Math.Min(settings.MaxQuality, request.Quality), 1, 100);
        return settings with
        {
            MaxLongSide = maxLongSide,
            MinLongSide = Math.Min(settings.MinLongSide, maxLongSide),
            MaxQuality = maxQuality,
            MinQuality = Math.Min(settings.MinQuality, maxQuality),
        };
    }
}

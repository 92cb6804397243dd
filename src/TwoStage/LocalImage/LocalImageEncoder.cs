using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Region;
using SkiaSharp;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>
/// Turns a region request into the layers the edge will stream: the crop's resolution and quality
/// chosen for the link, a progressive JPEG of it, and its scans grouped into layers that arrive in
/// time (docs/progressive-layers.md). Plain code; the edge runs it off the actor thread.
/// </summary>
public static class LocalImageEncoder
{
    /// <summary>Cuts the request's box out of <paramref name="frame"/>, then <see cref="EncodeRegion"/>.</summary>
    public static EncodedLocalImage Encode(SKBitmap frame, LocalImageRequest request, LinkView link, LayerPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Encode(frame, RegionCut.Only(request.Box), request, link, settings);
    }

    /// <summary>Cuts <paramref name="cut"/> (the region, with its runners-up if any) out of <paramref name="frame"/>, then <see cref="EncodeRegion"/>.</summary>
    public static EncodedLocalImage Encode(SKBitmap frame, RegionCut cut, LocalImageRequest request, LinkView link, LayerPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var image = LocalImageCut.Cut(frame, cut);
        return EncodeRegion(image, request, link, settings);
    }

    /// <summary>
    /// Encodes and plans a region already cut out of its frame (<see cref="LocalImageCut"/>: the pixels of
    /// <c>request.Box</c>, with any runners-up, whose layout the result carries) within the request's bounds
    /// (resolution, quality, bytes, time) and the link view. The edge cuts on its actor's thread and runs this on the
    /// thread pool, so the frame is never read off that thread.
    /// </summary>
    public static EncodedLocalImage EncodeRegion(CutImage cut, LocalImageRequest request, LinkView link, LayerPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cut);
        ArgumentNullException.ThrowIfNull(request);
        var region = cut.Bitmap;
        var bounds = Bounds(settings, request);
        var (longSide, quality) = LayerPlanner.ChooseEncoding(region.Width, region.Height, link, request.TimeLeft, bounds);
        var jpeg = ProgressiveCrop.FromCrop(region, longSide, quality);
        var plan = LayerPlanner.Plan(jpeg, link, request.TimeLeft, bounds, request.MaxBytes);
        return new EncodedLocalImage(jpeg.Width, jpeg.Height, jpeg.Quality, plan, plan.Segments(jpeg)) { Tiles = cut.Tiles };
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

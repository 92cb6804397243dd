using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// Turns a region request into the layers the edge will stream: the crop's resolution and quality
/// chosen for the link, a progressive JPEG of it, and its scans grouped into layers that arrive in
/// time (DESIGN.md §5). Plain code, run off the actor thread.
/// </summary>
public static class LocalImageEncoder
{
    /// <summary>Encodes and plans within the request's bounds (resolution, quality, bytes, time) and the link view.</summary>
    public static EncodedLocalImage Encode(SKBitmap frame, RoiRequest request, LinkView link, LayerPlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(request);
        var bounds = Bounds(settings, request);
        var rect = FrameCropper.ToPixels(request.Box, frame.Width, frame.Height);
        var (longSide, quality) = LayerPlanner.ChooseEncoding(rect.Width, rect.Height, link, request.Deadline, bounds);
        var jpeg = ProgressiveCrop.Make(frame, request.Box, longSide, quality);
        var plan = LayerPlanner.Plan(jpeg, link, request.Deadline, bounds, request.MaxBytes);
        return new EncodedLocalImage(jpeg.Width, jpeg.Height, jpeg.Quality, plan, plan.Segments(jpeg));
    }

    /// <summary>The server's caps (long side, quality) narrow the edge's own bounds; they never widen them.</summary>
    public static LayerPlanSettings Bounds(LayerPlanSettings settings, RoiRequest request)
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

    /// <summary>Stream elements: each layer cut into chunks of at most <see cref="LayerChunk.MaxBytes"/>, its last one marked.</summary>
    public static IReadOnlyList<LayerChunk> ToChunks(IReadOnlyList<byte[]> layers)
    {
        var chunks = new List<LayerChunk>();
        for (var layer = 0; layer < layers.Count; layer++)
        {
            var parts = ByteChunks.Split(layers[layer], LayerChunk.MaxBytes);
            for (var i = 0; i < parts.Count; i++)
                chunks.Add(new LayerChunk(layer, i == parts.Count - 1, parts[i]));
        }
        return chunks;
    }
}

using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.TwoStage.Region;

/// <summary>
/// A two-level zoom, the region candidate that needs no scan on the edge: before the sharp local image, the edge sends
/// a wide, coarse view around the server's region (<see cref="WideFactor"/> × the server's base side, at most
/// <see cref="WideLongSide"/> pixels: the reader's detector size, so it sees every pixel sent). The server's model reads
/// it as it read the global image, at two to three times the global image's resolution, and the ViCrop windows on
/// its relevance map there choose the tight region the edge then sends sharp, as the usual local image.
/// It costs a round trip, a model pass and the wide view's bytes; it finds what the global image lost only where the
/// server's own region came near it.
/// </summary>
public sealed record TwoLevelZoom(double WideFactor = 3, int WideLongSide = 960, int WideJpegQuality = 50)
{
    /// <summary>
    /// The wide view's box: a square <see cref="WideFactor"/> × <paramref name="basePixels"/> original pixels on a side
    /// (cut to the frame), centred on the server's region as nearly as the frame allows.
    /// </summary>
    public NormalizedBox Wide(NormalizedBox region, int basePixels, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(region);
        var side = WideFactor * basePixels;
        return NormalizedBox.Centred((region.X0 + region.X1) / 2, (region.Y0 + region.Y1) / 2, side / frameWidth, side / frameHeight);
    }

    /// <summary>
    /// The tight region, in frame coordinates: the ViCrop choice (<see cref="RoiSelector"/>, base side
    /// <paramref name="basePixels"/> original pixels) on the relevance map of the pass over the wide view.
    /// </summary>
    public static NormalizedBox Tight(NormalizedBox wide, RelevanceMap relevance, int basePixels, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(wide);
        var wideLongSide = Math.Max(wide.Width * frameWidth, wide.Height * frameHeight);
        var inWide = RoiSelector.Select(relevance, Math.Min(1, basePixels / wideLongSide));
        return NormalizedBox.Create(
            wide.X0 + inWide.X0 * wide.Width, wide.Y0 + inWide.Y0 * wide.Height,
            Math.Min(1, wide.X0 + inWide.X1 * wide.Width), Math.Min(1, wide.Y0 + inWide.Y1 * wide.Height));
    }

    /// <summary>
    /// Both levels in one process: the edge's wide view of <paramref name="region"/>, the server's pass over it, and
    /// the tight region that pass points at.
    /// </summary>
    public async Task<ZoomedRegion> NarrowAsync(IVisionLanguageModel model, SKBitmap frame, string question, NormalizedBox region, int basePixels,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        var started = Stopwatch.GetTimestamp();
        var wide = Wide(region, basePixels, frame.Width, frame.Height);
        var view = FrameCropper.CropToJpeg(frame, wide, WideLongSide, WideJpegQuality);
        var edgeTime = Stopwatch.GetElapsedTime(started);
        var pass = await model.AnswerAsync(new ModelInput(question, view.Bytes), cancellationToken);
        return new ZoomedRegion(wide, Tight(wide, pass.Relevance, basePixels, frame.Width, frame.Height), view.Bytes.Length, edgeTime, pass.ModelTime);
    }
}

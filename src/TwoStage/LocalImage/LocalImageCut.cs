using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Region;
using SkiaSharp;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>
/// Cuts a <see cref="RegionCut"/> out of the frame. The region goes at the top left, at its own pixels or at the scale
/// the cut asks (the encoder scales the whole image for the link, so the region loses nothing the runners-up do not cost);
/// each runner-up, scaled as it asks, goes below it, one under the other, on a flat grey that costs a JPEG almost
/// nothing. Runs where the frame may be read (the edge's actor thread); the result is a copy.
/// </summary>
public static class LocalImageCut
{
    private static readonly SKColor Background = new(128, 128, 128);

    public static CutImage Cut(SKBitmap frame, RegionCut cut)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(cut);
        var region = Scaled(frame, cut.Region, cut.Scale);
        if (cut.RunnersUp.Count == 0) return new CutImage(region, null);
        var parts = new List<(SKBitmap Pixels, NormalizedBox InFrame)> { (region, cut.Region) };
        try
        {
            foreach (var runnerUp in cut.RunnersUp) parts.Add((Scaled(frame, runnerUp.Region, runnerUp.Scale), runnerUp.Region));
            return Pack(parts);
        }
        finally
        {
            foreach (var (pixels, _) in parts) pixels.Dispose();
        }
    }

    private static SKBitmap Scaled(SKBitmap frame, NormalizedBox box, double scale)
    {
        var crop = FrameCropper.Crop(frame, box);
        if (scale >= 1) return crop;
        // The global image's downscaler: halvings, then a cubic step, so a large line's strokes do not alias.
        using (crop) return GlobalImageMaker.Resize(crop, Math.Max(1, (int)Math.Round(Math.Max(crop.Width, crop.Height) * scale)));
    }

    private static CutImage Pack(List<(SKBitmap Pixels, NormalizedBox InFrame)> parts)
    {
        var width = parts.Max(p => p.Pixels.Width);
        var height = parts.Sum(p => p.Pixels.Height);
        var packed = new SKBitmap(new SKImageInfo(width, height, parts[0].Pixels.ColorType, parts[0].Pixels.AlphaType));
        using var canvas = new SKCanvas(packed);
        canvas.Clear(Background);
        var tiles = new List<RegionTile>(parts.Count);
        var top = 0;
        foreach (var (pixels, inFrame) in parts)
        {
            canvas.DrawBitmap(pixels, 0, top);
            tiles.Add(new RegionTile(NormalizedBox.Create(0, (double)top / height, (double)pixels.Width / width, (double)(top + pixels.Height) / height), inFrame));
            top += pixels.Height;
        }
        canvas.Flush();
        return new CutImage(packed, tiles);
    }
}

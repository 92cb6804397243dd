using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>
/// The pixels the edge cut for a region request, ready to encode: the region alone (<paramref name="Tiles"/> null), or
/// the region with runners-up packed into one image, each tile telling where its crop sits and which part of the
/// frame it shows. Owns <paramref name="Bitmap"/>.
/// </summary>
public sealed record CutImage(SKBitmap Bitmap, IReadOnlyList<RegionTile>? Tiles) : IDisposable
{
    public void Dispose() => Bitmap.Dispose();
}

using CollabVlm.Imaging.Progressive;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>
/// A local image ready to stream: its size and quality, the layer plan, and each layer's bytes; <see cref="Tiles"/>
/// where it packs the region and runners-up (<see cref="CutImage"/>), null where it is the region alone.
/// </summary>
public sealed record EncodedLocalImage(int Width, int Height, int Quality, LayerPlan Plan, IReadOnlyList<byte[]> Layers)
{
    public IReadOnlyList<RegionTile>? Tiles { get; init; }

    public long TotalBytes => Layers.Sum(l => (long)l.Length);
}

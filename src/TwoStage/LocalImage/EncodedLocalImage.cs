using CollabVlm.Imaging.Progressive;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>A local image ready to stream: its size and quality, the layer plan, and each layer's bytes.</summary>
public sealed record EncodedLocalImage(int Width, int Height, int Quality, LayerPlan Plan, IReadOnlyList<byte[]> Layers)
{
    public long TotalBytes => Layers.Sum(l => (long)l.Length);
}

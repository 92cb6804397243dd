using CollabVlm.Primitives;

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Which scans of one progressive JPEG go out as which layer, what was left out, and the inputs the
/// plan was made from (so answers and metrics can say why a layer was or was not sent).
/// </summary>
public sealed record LayerPlan(
    IReadOnlyList<PlannedLayer> Layers,
    long PlannedBytes,
    int DroppedScans,
    long DroppedBytes,
    LinkView Link,
    TimeSpan TimeLeft,
    TimeSpan UsableTime,
    TimeSpan FirstLayerDue)
{
    public int PlannedScans => Layers.Sum(l => l.ScanCount);

    /// <summary>The layers' bytes, cut from the JPEG the plan was made for.</summary>
    public IReadOnlyList<byte[]> Segments(ProgressiveJpeg jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (jpeg.ScanCount != PlannedScans + DroppedScans || jpeg.Bytes.Length != PlannedBytes + DroppedBytes)
            throw new ArgumentException(
                $"this plan was made for a JPEG of {PlannedScans + DroppedScans} scans and {PlannedBytes + DroppedBytes} bytes, " +
                $"not one of {jpeg.ScanCount} scans and {jpeg.Bytes.Length} bytes", nameof(jpeg));
        return jpeg.SplitIntoLayers(Layers.Select(l => l.ScanCount).ToArray());
    }
}

using CollabVlm.Primitives;

namespace CollabVlm.Messages;

/// <summary>
/// Edge → the server's retransmission (the region request's sender), before the first chunk: how the edge will send the local image —
/// <paramref name="Layers"/> progressive layers, <paramref name="TotalBytes"/> in all, of a crop
/// encoded at <paramref name="LongSide"/> pixels and JPEG <paramref name="Quality"/>.
/// <paramref name="DroppedBytes"/> are the finest scans left out because the link estimate said they
/// would not arrive before the deadline. Lets the server report bytes saved when it stops early.
/// <paramref name="Region"/> is the region actually cropped: the requested one, or the edge's own choice when it
/// snapped the request onto text it found in the full frame; null from an edge that predates the field (then the
/// requested one). The server refines and reports this region.
/// </summary>
public sealed record LocalImagePlan(
    QueryId QueryId,
    int Layers,
    long TotalBytes,
    long DroppedBytes,
    int LongSide,
    int Quality,
    NormalizedBox? Region = null) : IQueryMessage
{
    /// <summary>The region the layers show: <see cref="Region"/> when the edge sent a usable one, else <paramref name="requested"/>.</summary>
    public NormalizedBox CroppedOr(NormalizedBox requested) => Region is { } cropped && cropped.Validate() is null ? cropped : requested;
}

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
/// <paramref name="Tiles"/>, when the edge packed runners-up beside the region, says where each crop sits in the image
/// and which part of the frame it shows (the first is the region); null when the image is the region alone.
/// </summary>
public sealed record LocalImagePlan(
    QueryId QueryId,
    int Layers,
    long TotalBytes,
    long DroppedBytes,
    int LongSide,
    int Quality,
    NormalizedBox? Region = null,
    IReadOnlyList<RegionTile>? Tiles = null) : IQueryMessage
{
    /// <summary>More tiles than this are not a layout an edge of ours sends.</summary>
    public const int MaxTiles = 8;

    /// <summary>The region the layers show: <see cref="Region"/> when the edge sent a usable one, else <paramref name="requested"/>.</summary>
    public NormalizedBox CroppedOr(NormalizedBox requested) => Region is { } cropped && cropped.Validate() is null ? cropped : requested;

    /// <summary>
    /// <see cref="Tiles"/> when there are 1–<see cref="MaxTiles"/> and every one is usable; otherwise null, and the image
    /// is read as the region alone (a bad layout costs the runners-up, never the query).
    /// </summary>
    public IReadOnlyList<RegionTile>? UsableTiles => Tiles is { Count: > 0 and <= MaxTiles } tiles && tiles.All(t => t is not null && t.Validate() is null) ? tiles : null;

    /// <summary>The parts of the frame the image shows beside the region (every usable tile after the first); null when none.</summary>
    public IReadOnlyList<NormalizedBox>? RunnersUp => UsableTiles is { Count: > 1 } tiles ? [.. tiles.Skip(1).Select(t => t.InFrame)] : null;
}

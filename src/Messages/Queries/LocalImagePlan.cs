namespace CollabVlm.Messages;

/// <summary>
/// Edge → the server's retransmission (the region request's sender), before the first chunk: how the edge will send the local image —
/// <paramref name="Layers"/> progressive layers, <paramref name="TotalBytes"/> in all, of a crop
/// encoded at <paramref name="LongSide"/> pixels and JPEG <paramref name="Quality"/>.
/// <paramref name="DroppedBytes"/> are the finest scans left out because the link estimate said they
/// would not arrive before the deadline. Lets the server report bytes saved when it stops early.
/// </summary>
public sealed record LocalImagePlan(
    QueryId QueryId,
    int Layers,
    long TotalBytes,
    long DroppedBytes,
    int LongSide,
    int Quality) : IQueryMessage;

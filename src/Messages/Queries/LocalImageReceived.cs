namespace CollabVlm.Messages;

/// <summary>
/// Server (the query's retransmission) → edge, when the local stream ended: <paramref name="Bytes"/> of
/// <paramref name="Layers"/> complete layers arrived; <paramref name="Complete"/> is false when the
/// server stopped the stream early (deadline, or sure enough on a prefix). The edge times it against
/// the start of its upload to learn the link (only complete transfers make clean samples).
/// </summary>
public sealed record LocalImageReceived(QueryId QueryId, long Bytes, int Layers, bool Complete) : IQueryMessage;

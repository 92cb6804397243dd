using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>
/// <see cref="Retransmission"/> → its coordinator (node-local): tell every edge that submitted the query,
/// with the retransmission as the sender, so the edges' replies about the region reach it.
/// </summary>
public sealed record ToAskers(IQueryMessage Message);

using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Server;

/// <summary>
/// What a <see cref="Retransmission"/> needs from its coordinator: the query, the region the gate
/// asked for, when the transfer and the whole query are due, the gate's η and refine mode, and the
/// global pass's relevance map as the region request carries it to the edge.
/// </summary>
public sealed record RetransmissionRequest(SubmitQuery Query, NormalizedBox Region, DateTime TransferDeadline, DateTime Deadline,
    double Threshold, RefineOn RefineOn, CoarseRelevance? Hint = null);

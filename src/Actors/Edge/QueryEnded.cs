using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// <see cref="EdgeQuery"/> to its <see cref="EdgeDevice"/>, just before the outcome goes out: the query is over and
/// its id is free again; the stage or the reason is what the edge's outcome metric counts. Edge-local, never sent over the network.
/// </summary>
internal sealed record QueryEnded(QueryId Id, AnswerStage? Stage, FailureReason? Reason);

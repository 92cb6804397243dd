namespace CollabVlm.Messages;

/// <summary>Server (or edge, when no server answers) → asker: the query ended without an answer.</summary>
public sealed record QueryFailed(QueryId QueryId, FailureReason Reason, string Message) : IQueryMessage;

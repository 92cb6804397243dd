namespace CollabVlm.Messages;

/// <summary>
/// Server → edge, sent by the query's coordinator as soon as it exists. The edge watches the
/// sender, so it learns when the server holding its query dies and can re-submit elsewhere.
/// </summary>
public sealed record QueryAccepted(QueryId QueryId) : IQueryMessage;

namespace CollabVlm.Messages;

/// <summary>
/// Edge → server gateway. <paramref name="Attempt"/> counts re-submissions of the same query
/// (same <paramref name="QueryId"/>) after a server stopped answering; the gateway deduplicates.
/// </summary>
public sealed record SubmitQuery(
    QueryId QueryId,
    EdgeId EdgeId,
    string Question,
    GlobalImage Global,
    QueryOptions Options,
    int Attempt = 1) : IQueryMessage;

namespace CollabVlm.Messages;

/// <summary>Server → edge: the one final answer of a query.</summary>
public sealed record QueryAnswered(QueryId QueryId, Answer Answer) : IQueryMessage;

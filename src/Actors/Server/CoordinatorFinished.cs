using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>Coordinator → its gateway (node-local): the query's one final result, for the dedup cache.</summary>
public sealed record CoordinatorFinished(QueryId QueryId, IQueryMessage Result);

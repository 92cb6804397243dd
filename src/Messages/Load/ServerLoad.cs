namespace CollabVlm.Messages;

/// <summary>
/// Server → every edge node, about once a second and at once when it changes much: how long a new query would
/// wait for this server's model. Sent on behalf of the server's query gateway (the sender is the gateway), so the edge
/// learns where to submit from the report itself. Edges send each query to the server with the shortest wait.
/// </summary>
/// <param name="PredictedWait">Model jobs ahead of a new one × <paramref name="ServiceTime"/>.</param>
/// <param name="ServiceTime">Recent time of one model call on this server.</param>
/// <param name="Queued">Model jobs waiting or running.</param>
/// <param name="InFlight">Queries this server holds (one coordinator each).</param>
/// <param name="Accepting">False while the server shuts down: it refuses new queries.</param>
public sealed record ServerLoad(TimeSpan PredictedWait, TimeSpan ServiceTime, int Queued, int InFlight, bool Accepting) : IProtocolMessage;

namespace CollabVlm.Actors.Server;

/// <summary>
/// Node-local messages of a server's clean shutdown (never sent remotely), in the order coordinated shutdown sends them:
/// the gateway stops admitting, then drains its queries, then the scheduler drains the model.
/// </summary>
public static class ShutdownProtocol
{
    /// <summary>To the gateway: refuse every new query as shutting down and tell the edges so.</summary>
    public sealed record StopAdmitting
    {
        public static StopAdmitting Instance { get; } = new();
    }

    /// <summary>To the gateway: reply <see cref="QueriesDrained"/> once no query is in flight, handing back those still running after <c>Server:ShutdownDrainTimeout</c>.</summary>
    public sealed record DrainQueries
    {
        public static DrainQueries Instance { get; } = new();
    }

    /// <param name="HandedBack">Queries that were still running at the drain timeout and were failed as shutting down.</param>
    public sealed record QueriesDrained(int HandedBack);

    /// <summary>Gateway → coordinator: end now with <see cref="Messages.FailureReason.ShuttingDown"/>, so the edge re-submits elsewhere.</summary>
    public sealed record HandBack
    {
        public static HandBack Instance { get; } = new();
    }
}

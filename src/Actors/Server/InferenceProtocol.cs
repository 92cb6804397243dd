using CollabVlm.Inference;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>Node-local messages between coordinators (and their retransmissions) and the inference scheduler (never sent remotely).</summary>
public static class InferenceProtocol
{
    /// <summary>Run the model; reply <see cref="Completed"/> or <see cref="Failed"/> to the sender by <paramref name="Deadline"/>.</summary>
    public sealed record Run(QueryId QueryId, ModelInput Input, DateTime Deadline);

    public sealed record Completed(QueryId QueryId, ModelOutput Output);

    public sealed record Failed(QueryId QueryId, FailureReason Reason, string Message);

    /// <summary>Asks for a <see cref="Depth"/> reply.</summary>
    public sealed record GetDepth
    {
        public static GetDepth Instance { get; } = new();
    }

    public sealed record Depth(int Queued, bool Running);

    /// <summary>
    /// Published on the node's event stream at every change of the queue: jobs waiting or running, how many global
    /// passes the scheduler ever received (the gateway counts those it admitted but the scheduler has not seen yet),
    /// and the duration of the call that just finished, if one did.
    /// </summary>
    public sealed record InferenceLoad(int JobsAhead, long GlobalRunsReceived, TimeSpan? LastCall);

    /// <summary>Shutdown: refuse new jobs and fail the queued ones (<see cref="FailureReason.ShuttingDown"/>); reply <see cref="Drained"/> once no model call runs.</summary>
    public sealed record Drain
    {
        public static Drain Instance { get; } = new();
    }

    public sealed record Drained
    {
        public static Drained Instance { get; } = new();
    }
}

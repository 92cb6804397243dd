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
}

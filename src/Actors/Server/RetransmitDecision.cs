using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Server;

/// <summary>The gate: whether the global answer is final.</summary>
public static class RetransmitDecision
{
    public static bool ShouldRetransmit(RetransmitPolicy policy, double uncertainty, double threshold) => policy switch
    {
        RetransmitPolicy.Never => false,
        RetransmitPolicy.Always => true,
        _ => uncertainty > threshold,
    };
}

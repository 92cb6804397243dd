using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Gate;

/// <summary>
/// Step 2 of the loop: is the global answer final? Its uncertainty (by default the mean min-entropy
/// of its tokens, in bits) at or below η keeps it; above η the server asks the edge for detail.
/// The one implementation of the rule: the coordinator, the in-process loop and the benchmark's
/// gate replays all call it.
/// </summary>
public static class RetransmitGate
{
    public static bool ShouldRetransmit(RetransmitPolicy policy, double uncertainty, double threshold) => policy switch
    {
        RetransmitPolicy.Never => false,
        RetransmitPolicy.Always => true,
        _ => uncertainty > threshold,
    };

    /// <summary>Scores the global pass and decides.</summary>
    public static GateVerdict Decide(ModelOutput global, UncertaintySpec spec, RetransmitPolicy policy, double threshold)
    {
        ArgumentNullException.ThrowIfNull(global);
        var uncertainty = UncertaintyScore.Score(global.Tokens, spec, global.VocabularySize);
        return new GateVerdict(uncertainty, ShouldRetransmit(policy, uncertainty, threshold));
    }
}

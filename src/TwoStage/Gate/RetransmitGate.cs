using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Gate;

/// <summary>
/// Step 2 of the loop: is the global answer final? Its uncertainty (by default the mean min-entropy
/// of its tokens, in bits) at or below η keeps it; above η the server asks the edge for detail.
/// With a <see cref="RetransmitBudget"/> the node's budget sets η per answer instead. The one
/// implementation of the rule: the coordinator, the in-process loop and the benchmark's gate replays
/// all call it.
/// </summary>
public static class RetransmitGate
{
    public static bool ShouldRetransmit(RetransmitPolicy policy, double uncertainty, double threshold) => policy switch
    {
        RetransmitPolicy.Never => false,
        RetransmitPolicy.Always => true,
        _ => uncertainty > threshold,
    };

    /// <summary>Scores the global pass and decides at a fixed η.</summary>
    public static GateVerdict Decide(ModelOutput global, UncertaintySpec spec, RetransmitPolicy policy, double threshold)
    {
        ArgumentNullException.ThrowIfNull(global);
        var uncertainty = UncertaintyScore.Score(global.Tokens, spec, global.VocabularySize);
        return new GateVerdict(uncertainty, ShouldRetransmit(policy, uncertainty, threshold), threshold);
    }

    /// <summary>
    /// Scores the global pass and decides as a node does. Which rule applies, first match wins:
    /// an η the query carries (<paramref name="queryThreshold"/>: the asker chose it); the node's
    /// <paramref name="budget"/> (<c>Server:RetransmitBudget</c>); the node's fixed η
    /// (<c>Server:Threshold</c>). Only gated queries reach the budget, so the answers it ranks are
    /// the ones it decides; <c>Server:Threshold</c> still decides the very first of them.
    /// </summary>
    public static GateVerdict Decide(ModelOutput global, ServerSettings settings, RetransmitPolicy policy, double? queryThreshold, RetransmitBudget? budget)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(settings);
        if (policy != RetransmitPolicy.Gated || queryThreshold is not null || budget is null)
            return Decide(global, settings.Uncertainty, policy, queryThreshold ?? settings.Threshold);
        var uncertainty = UncertaintyScore.Score(global.Tokens, settings.Uncertainty, global.VocabularySize);
        var (retransmit, threshold) = budget.Decide(uncertainty, settings.Threshold);
        return new GateVerdict(uncertainty, retransmit, threshold) { ByBudget = true };
    }
}

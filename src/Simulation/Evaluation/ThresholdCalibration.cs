using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>
/// Picks η from a calibration set: for a retransmission budget (the most retransmission, hence
/// accuracy, the budget allows) or for an accuracy target (the fewest retransmissions that reach it).
/// </summary>
public static class ThresholdCalibration
{
    /// <summary>The smallest η whose retransmission share is at most <paramref name="targetShare"/>.</summary>
    public static GatePoint ForShare(IReadOnlyList<GateCase> cases, double targetShare)
    {
        if (!(targetShare >= 0 && targetShare <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetShare), targetShare, "the target retransmission share is a fraction in [0, 1]");
        RequireCases(cases);
        // The sweep runs from retransmitting everything to nothing, so the share falls along it;
        // the last point (retransmit nothing, share 0) always qualifies.
        return GateSimulation.Sweep(cases).First(p => p.RetransmissionShare <= targetShare + 1e-12);
    }

    /// <summary>The largest η whose exact-match accuracy reaches <paramref name="targetAccuracy"/>; null when no η does.</summary>
    public static GatePoint? ForAccuracy(IReadOnlyList<GateCase> cases, double targetAccuracy)
    {
        if (!(targetAccuracy >= 0 && targetAccuracy <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetAccuracy), targetAccuracy, "the target accuracy is a fraction in [0, 1]");
        RequireCases(cases);
        return GateSimulation.Sweep(cases).LastOrDefault(p => p.AccuracyEm >= targetAccuracy - 1e-12);
    }

    private static void RequireCases(IReadOnlyList<GateCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        if (cases.Count == 0)
            throw new ArgumentException("calibration needs at least one question", nameof(cases));
    }
}

using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Calibration;

/// <summary>
/// Splits the questions (seeded), picks η on the calibration part for a retransmission-share budget
/// or an accuracy target, and reports it on the held-out part beside global-only, always-retransmit
/// and random retransmission at the same rate.
/// </summary>
public static class ThresholdCalibrator
{
    /// <summary>Exactly one of <paramref name="targetShare"/> and <paramref name="targetAccuracy"/>; null result when the accuracy is out of reach.</summary>
    public static CalibrationOutcome? Calibrate(IReadOnlyList<GateCase> cases, string measure, double? targetShare, double? targetAccuracy, double calibrationFraction, int seed)
    {
        if (targetShare is null == targetAccuracy is null)
            throw new ArgumentException("give exactly one target: a retransmission share or an accuracy");
        var (calibration, heldOut) = CalibrationSplit.Split(cases, calibrationFraction, seed);
        var chosen = targetShare is { } share ? ThresholdCalibration.ForShare(calibration, share) : ThresholdCalibration.ForAccuracy(calibration, targetAccuracy!.Value);
        if (chosen is null) return null;
        var onHeldOut = GateSimulation.AtThreshold(heldOut, chosen.Threshold);
        return new CalibrationOutcome(measure,
            targetShare is { } s ? $"retransmission share ≤ {s}" : $"accuracy ≥ {targetAccuracy}",
            chosen.Threshold, calibration.Count, heldOut.Count, chosen, onHeldOut,
            GateSimulation.Evaluate(heldOut, _ => false), GateSimulation.Evaluate(heldOut, _ => true),
            GateSimulation.Random(heldOut, heldOut.Count == 0 ? 0 : onHeldOut.Retransmitted / (double)heldOut.Count, seed));
    }
}

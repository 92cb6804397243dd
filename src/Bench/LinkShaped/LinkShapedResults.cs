namespace CollabVlm.Bench.LinkShaped;

/// <summary>A link-shaped run's settings and phases, as written to results.json.</summary>
public sealed record LinkShapedResults(
    double DropFactor, double PhaseSeconds, double AskIntervalSeconds, double DeadlineSeconds, double Threshold, double MaxError,
    IReadOnlyList<LinkPhase> Phases)
{
    /// <summary>0 when every phase ended with its estimate within <see cref="MaxError"/>, else 1.</summary>
    public int ExitCode => Phases.Count > 0 && Phases.All(p => p.Within(MaxError)) ? 0 : 1;
}

namespace CollabVlm.Actors.Edge.Link;

/// <summary>
/// How the edge learns its uplink (docs/link-estimator.md). Bound from configuration section "Link"
/// (environment variables <c>COLLABVLM_Link__WindowSize</c> etc.).
/// </summary>
public sealed record LinkEstimatorSettings
{
    /// <summary>
    /// Transfers the estimate is made of. Small enough that the estimate follows slow drift within
    /// a few queries, large enough that the harmonic mean and the confidence have something to work on.
    /// </summary>
    public int WindowSize { get; init; } = 8;

    /// <summary>
    /// A transfer whose throughput is more than this factor above or below the estimate is "far
    /// outside": it is held as a suspect, and a second one in the same direction restarts the window.
    /// 1.6 lets ordinary jitter (±30 %) through and catches any step worth re-planning for.
    /// </summary>
    public double StepFactor { get; init; } = 1.6;

    /// <summary>
    /// A transfer tells us about throughput only if at least this share of its time was
    /// serialisation (the rest is round trip); shorter ones only inform the round-trip estimate.
    /// </summary>
    public double MinSerialisationShare { get; init; } = 0.25;

    public string? Validate()
    {
        if (WindowSize is < 2 or > 256) return $"Link:WindowSize must be in 2..256 (got {WindowSize})";
        if (!(StepFactor > 1.05) || double.IsInfinity(StepFactor)) return $"Link:StepFactor must be a finite number > 1.05 (got {StepFactor})";
        if (!(MinSerialisationShare is > 0 and < 1)) return $"Link:MinSerialisationShare must be in (0, 1) (got {MinSerialisationShare})";
        return null;
    }
}

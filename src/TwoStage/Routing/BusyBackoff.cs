namespace CollabVlm.TwoStage.Routing;

/// <summary>
/// When an edge re-submits a query that a server refused as busy or shutting down: after a delay that doubles with
/// each refusal (up to a cap) and is jittered to ±50 %, so that edges refused together do not come back together —
/// and only while what is left of the deadline still covers the delay and one server's pass.
/// </summary>
/// <param name="First">Delay after the first refusal (before jitter).</param>
/// <param name="Cap">Longest delay (before jitter).</param>
/// <param name="MinLeft">Deadline that must remain after the delay for a re-submission to be worth sending.</param>
public sealed record BusyBackoff(TimeSpan First, TimeSpan Cap, TimeSpan MinLeft)
{
    public static BusyBackoff Default { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));

    /// <summary>
    /// The delay before re-submitting after the <paramref name="refusals"/>-th refusal (1 = first) with
    /// <paramref name="left"/> of the deadline remaining; null when the deadline no longer allows another try.
    /// </summary>
    /// <param name="unit">A uniform draw in [0, 1) (the jitter).</param>
    public TimeSpan? Delay(int refusals, TimeSpan left, double unit)
    {
        if (refusals < 1) throw new ArgumentOutOfRangeException(nameof(refusals), "counts from 1");
        if (unit is < 0 or >= 1 || double.IsNaN(unit)) throw new ArgumentOutOfRangeException(nameof(unit), "must be in [0, 1)");
        var doubled = First.TotalSeconds * Math.Pow(2, Math.Min(refusals - 1, 30));
        var delay = TimeSpan.FromSeconds(Math.Min(doubled, Cap.TotalSeconds) * (0.5 + unit));
        return left - delay >= MinLeft ? delay : null;
    }

    public string? Validate()
    {
        if (First <= TimeSpan.Zero) return "the first back-off must be > 0";
        if (Cap < First) return "the back-off cap must be ≥ the first back-off";
        if (MinLeft < TimeSpan.Zero) return "the deadline kept for a re-submission must be ≥ 0";
        return null;
    }
}

using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>Latency percentiles as the reports quote them.</summary>
public static class Percentiles
{
    /// <summary>Nearest-rank percentile of values sorted ascending (0 for none): no interpolation, so p95 is a latency some query really had.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "a percentile is a fraction in [0, 1]");
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Sorts a copy, then <see cref="NearestRank"/>.</summary>
    public static double Of(IEnumerable<double> values, double p) => NearestRank(values.Order().ToList(), p);
}

using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Throughput;

/// <summary>What one closed loop reached: answered calls per second and the callers' latency (nearest rank).</summary>
public sealed record ThroughputFigures(string Name, int Askers, int Answered, int Failed, double Seconds, double PerSecond, double P50, double P95)
{
    public static ThroughputFigures From(string name, int askers, IReadOnlyList<double> latencies, int failed, TimeSpan elapsed)
    {
        var sorted = latencies.Order().ToList();
        return sorted.Count == 0
            ? new ThroughputFigures(name, askers, 0, failed, elapsed.TotalSeconds, 0, double.NaN, double.NaN)
            : new ThroughputFigures(name, askers, sorted.Count, failed, elapsed.TotalSeconds, sorted.Count / elapsed.TotalSeconds,
                Percentiles.NearestRank(sorted, 0.5), Percentiles.NearestRank(sorted, 0.95));
    }
}

using System.Text.Json.Serialization;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Latency;

/// <summary>One strategy on one link, with the JSON names runs are compared by.</summary>
public sealed record LatencyFigures(
    [property: JsonPropertyName("latency_p50_ms")] double LatencyP50Ms,
    [property: JsonPropertyName("latency_p95_ms")] double LatencyP95Ms,
    [property: JsonPropertyName("bytes_per_query")] double BytesPerQuery,
    [property: JsonPropertyName("accuracy_em")] double AccuracyEm,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("degraded")] int Degraded)
{
    public static LatencyFigures From(IReadOnlyList<LatencySample> samples)
    {
        var answered = samples.Where(s => s.Failure is null).ToList();
        var latencies = answered.Select(s => s.LatencyMs).ToList();
        return new LatencyFigures(
            Percentiles.Of(latencies, 0.5), Percentiles.Of(latencies, 0.95),
            answered.Count == 0 ? 0 : answered.Average(s => (double)s.Bytes),
            samples.Count == 0 ? 0 : samples.Count(s => s.Right) / (double)samples.Count,
            samples.Count - answered.Count,
            samples.Count(s => s.Degraded));
    }
}

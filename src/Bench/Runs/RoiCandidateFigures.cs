using System.Text.Json.Serialization;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// One way of choosing the retransmitted region, measured on always-retransmit: how often its region
/// holds the true box's centre, the accuracy, the extra bytes per question (local image and, for the
/// edge candidate, the server's map sent with the request), the edge's scan time per frame, and the
/// p50 latency (in-process: compute plus the bytes and two round trips at the run's link).
/// </summary>
public sealed record RoiCandidateFigures(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("roi_hit_rate")] double? RoiHitRate,
    [property: JsonPropertyName("accuracy_em")] double AccuracyEm,
    [property: JsonPropertyName("extra_bytes_per_question")] double ExtraBytesPerQuestion,
    [property: JsonPropertyName("edge_ms_p50")] double? EdgeMsP50,
    [property: JsonPropertyName("latency_p50_ms")] double? LatencyP50Ms)
{
    /// <summary>The share whose region or one of the runners-up sent beside it held the true box's centre; null when no runner-up was sent.</summary>
    [JsonPropertyName("roi_or_runner_up_hit_rate")] public double? RoiOrRunnerUpHitRate { get; init; }
}

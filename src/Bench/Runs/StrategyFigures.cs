using System.Text.Json.Serialization;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Runs;

/// <summary>One strategy's figures (docs/evaluation.md, "Figures") and which mode produced them, with stable JSON names.</summary>
public sealed record StrategyFigures(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("accuracy_em")] double AccuracyEm,
    [property: JsonPropertyName("accuracy_anls")] double AccuracyAnls,
    [property: JsonPropertyName("extra_cost")] double ExtraCost,
    [property: JsonPropertyName("retransmission_share")] double RetransmissionShare,
    [property: JsonPropertyName("relative_compute")] double RelativeCompute,
    [property: JsonPropertyName("latency_p50_ms")] double? LatencyP50Ms,
    [property: JsonPropertyName("latency_p95_ms")] double? LatencyP95Ms,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("retransmitted")] int Retransmitted,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("threshold")] double? Threshold = null,
    [property: JsonPropertyName("note")] string? Note = null);

using System.Text.Json.Serialization;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Runs;

/// <summary>Accuracy against cost of one gate as η moves (or, for random, as the rate moves).</summary>
public sealed record SweepCurve(
    [property: JsonPropertyName("measure")] string Measure,
    [property: JsonPropertyName("auroc")] double? Auroc,
    [property: JsonPropertyName("points")] IReadOnlyList<SweepPoint> Points);

/// <summary>One point of a sweep.</summary>
public sealed record SweepPoint(
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("accuracy_em")] double AccuracyEm,
    [property: JsonPropertyName("accuracy_anls")] double AccuracyAnls,
    [property: JsonPropertyName("extra_cost")] double ExtraCost,
    [property: JsonPropertyName("retransmission_share")] double RetransmissionShare,
    [property: JsonPropertyName("retransmitted")] int Retransmitted);

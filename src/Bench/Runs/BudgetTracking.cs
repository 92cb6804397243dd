using System.Text.Json.Serialization;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// How the <c>Server:RetransmitBudget</c> gate kept to its target over a run: the share of queries it
/// retransmitted overall and in each quarter of the run (in question order), its accuracy and byte
/// share, beside the fixed η of the run and the η that, in hindsight, retransmits as many of these
/// questions (the best a fixed η calibrated on this very set could do at the same share). In the byte form the
/// target share is where the price of a local image left it at the end of the run.
/// </summary>
public sealed record BudgetTracking(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("target_share")] double TargetShare,
    [property: JsonPropertyName("window")] int Window,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("retransmitted")] int Retransmitted,
    [property: JsonPropertyName("achieved_share")] double AchievedShare,
    [property: JsonPropertyName("achieved_share_by_quarter")] IReadOnlyList<double> AchievedByQuarter,
    [property: JsonPropertyName("accuracy_em")] double AccuracyEm,
    [property: JsonPropertyName("byte_share")] double ByteShare,
    [property: JsonPropertyName("fixed_threshold")] double FixedThreshold,
    [property: JsonPropertyName("fixed_threshold_query_share")] double FixedThresholdQueryShare,
    [property: JsonPropertyName("fixed_threshold_accuracy_em")] double FixedThresholdAccuracyEm,
    [property: JsonPropertyName("hindsight_threshold")] double? HindsightThreshold,
    [property: JsonPropertyName("hindsight_query_share")] double? HindsightQueryShare,
    [property: JsonPropertyName("hindsight_accuracy_em")] double? HindsightAccuracyEm)
{
    /// <summary>The byte form's setting (<c>Server:RetransmitBytesPerQuery</c>); null for a share.</summary>
    [JsonPropertyName("target_bytes_per_query")] public double? TargetBytesPerQuery { get; init; }

    /// <summary>Local-image bytes the byte form spent per question.</summary>
    [JsonPropertyName("achieved_bytes_per_query")] public double? AchievedBytesPerQuery { get; init; }
}

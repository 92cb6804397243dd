using System.Text.Json.Serialization;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Runs;

/// <summary>What <c>results.json</c> holds.</summary>
public sealed record RunResults
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("questions")] public required int Questions { get; init; }
    [JsonPropertyName("questions_planned")] public required int QuestionsPlanned { get; init; }
    [JsonPropertyName("interrupted")] public required bool Interrupted { get; init; }
    [JsonPropertyName("threshold")] public required double Threshold { get; init; }
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    [JsonPropertyName("headline_mode")] public required string HeadlineMode { get; init; }
    [JsonPropertyName("link")] public required string Link { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Whether the cluster's edge scanned its frames for text and snapped the regions (<c>Edge:ProposeRegions</c>); null: not recorded (older runs, direct mode).</summary>
    [JsonPropertyName("edge_scan")] public bool? EdgeScan { get; init; }
    [JsonPropertyName("strategies")] public required IReadOnlyList<StrategyFigures> Strategies { get; init; }
    [JsonPropertyName("measures")] public required IReadOnlyList<MeasureFigures> Measures { get; init; }
    [JsonPropertyName("roi_hit_rate")] public required double? RoiHitRate { get; init; }
    [JsonPropertyName("roi_mean_iou")] public required double? RoiMeanIou { get; init; }
    [JsonPropertyName("roi_questions")] public required int RoiQuestions { get; init; }
    [JsonPropertyName("sweep")] public required IReadOnlyList<SweepCurve> Sweep { get; init; }
    [JsonPropertyName("breakdown")] public required IReadOnlyList<BreakdownRow> Breakdown { get; init; }
    [JsonPropertyName("bar")] public required BarVerdict Bar { get; init; }
    [JsonPropertyName("retransmit_budget")] public double? Budget { get; init; }
    [JsonPropertyName("retransmit_bytes_per_query")] public long? BudgetBytes { get; init; }

    /// <summary>How the budget gate kept to its target; null when the run set no <c>--budget</c>.</summary>
    [JsonPropertyName("budget_tracking")] public BudgetTracking? BudgetTracking { get; init; }

    [JsonPropertyName("direct_cluster_agreement")] public double? DirectClusterAgreement { get; init; }

    /// <summary>Region choices compared on always-retransmit: the server's RoI, the candidates and the true-box ceiling (when the run made them).</summary>
    [JsonPropertyName("roi_candidates")] public IReadOnlyList<RoiCandidateFigures> RoiCandidates { get; init; } = [];

    /// <summary>RoI hits and right answers per text-height band and region choice.</summary>
    [JsonPropertyName("bands")] public IReadOnlyList<BandRow> Bands { get; init; } = [];

    /// <summary>The same figures over the frames without distractor signs, where the reader's answer can be the sign it was asked about.</summary>
    [JsonPropertyName("without_distractors")] public SubsetFigures? WithoutDistractors { get; init; }
}

/// <summary>Headline strategies and the bar over a slice of the questions.</summary>
public sealed record SubsetFigures(
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("strategies")] IReadOnlyList<StrategyFigures> Strategies,
    [property: JsonPropertyName("measures")] IReadOnlyList<MeasureFigures> Measures,
    [property: JsonPropertyName("bar")] BarVerdict Bar);

/// <summary>AUROC of one measure × aggregation for "global answer wrong" (direct mode).</summary>
public sealed record MeasureFigures(
    [property: JsonPropertyName("measure")] string Measure,
    [property: JsonPropertyName("auroc")] double Auroc);

/// <summary>Accuracy of the headline strategies on a slice of the set (text height band, distractors).</summary>
public sealed record BreakdownRow(
    [property: JsonPropertyName("slice")] string Slice,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("accuracy_global_only")] double GlobalOnly,
    [property: JsonPropertyName("accuracy_always")] double Always,
    [property: JsonPropertyName("accuracy_gated")] double Gated,
    [property: JsonPropertyName("retransmitted_gated")] double RetransmittedGated);

/// <summary>
/// The project's bar: min-entropy gating reaches ≥ 98 % of always-retransmit accuracy at a
/// retransmission share ≤ 0.25, and beats random at every share.
/// </summary>
public sealed record BarVerdict(
    [property: JsonPropertyName("headline_accuracy_ratio")] double HeadlineAccuracyRatio,
    [property: JsonPropertyName("headline_share")] double HeadlineShare,
    [property: JsonPropertyName("best_ratio_at_share_0_25")] double BestRatioAtShareQuarter,
    [property: JsonPropertyName("best_threshold_at_share_0_25")] double? BestThresholdAtShareQuarter,
    [property: JsonPropertyName("share_needed_for_98_percent")] double? ShareNeededFor98Percent,
    [property: JsonPropertyName("sweep_points_beating_random")] int SweepPointsBeatingRandom,
    [property: JsonPropertyName("sweep_points_compared")] int SweepPointsCompared,
    [property: JsonPropertyName("met")] bool Met);

using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage;

/// <summary>
/// Everything a server node decides per query. Bound from configuration section "Server"
/// (environment variables <c>COLLABVLM_Server__Threshold</c> etc.); defaults are the embedded reader's.
/// </summary>
public sealed record ServerSettings
{
    /// <summary>η: the global answer is final when its uncertainty is at or below this (bits of mean min-entropy).</summary>
    public double Threshold { get; init; } = 0.35;

    /// <summary>
    /// Share of gated queries to retransmit (0..1), or null for the fixed η. When set, the node
    /// retransmits its least sure answers within this share, ranking each among its recent ones, and
    /// wins over <see cref="Threshold"/>, which then decides only the node's first gated query; an η a
    /// query carries itself still wins over both.
    /// </summary>
    public double? RetransmitBudget { get; init; }

    /// <summary>
    /// The budget in bytes instead (exclusive with <see cref="RetransmitBudget"/>): extra uplink bytes to spend per gated
    /// query on average. The share retransmitted follows the recent size of a local image (assumed
    /// <see cref="MinLocalBytes"/> until the node has received one).
    /// </summary>
    public long? RetransmitBytesPerQuery { get; init; }

    /// <summary>How many recent gated answers the budget ranks each new one among.</summary>
    public int RetransmitBudgetWindow { get; init; } = 200;

    public UncertaintyMeasure Measure { get; init; } = UncertaintyMeasure.MinEntropy;
    public TokenAggregation Aggregation { get; init; } = TokenAggregation.Mean;
    public int AggregationK { get; init; } = 3;

    public int MaxQuestionLength { get; init; } = 500;

    /// <summary>Admission control: queries in flight on this node beyond this are refused as busy.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>
    /// Service time of one model call assumed until calls were timed; admission refuses a query at once when the jobs
    /// ahead of it × the recent service time, plus its own pass, exceed what is left of its deadline.
    /// </summary>
    public TimeSpan ServiceTimePrior { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Share of a query's remaining deadline its predicted global pass (wait + own pass) may take for it to be admitted;
    /// the rest is margin for the prediction's error (measured with 1.0: a fifth of the overload's questions still
    /// timed out in the queue on a busy 2-core machine).
    /// </summary>
    public double AdmissionDeadlineShare { get; init; } = 0.8;

    /// <summary>How often this server tells every edge node its predicted wait (and at once when it changes much).</summary>
    public TimeSpan LoadReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On shutdown (SIGTERM), how long queries in flight may run to their answer; those still running then are handed
    /// back to their edges (failed as shutting down, which the edges re-submit elsewhere).
    /// </summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Inference jobs waiting beyond this are refused as busy.</summary>
    public int InferenceQueueCapacity { get; init; } = 64;

    /// <summary>A global image larger than this is refused (it must fit one remote message).</summary>
    public int MaxGlobalBytes { get; init; } = 96 * 1024;

    public TimeSpan GlobalInferenceTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Longest the local image may stream, whatever the query's deadline leaves.</summary>
    public TimeSpan LocalStageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time kept back from the query's deadline for the final refined pass: the edge is told it has
    /// the remaining time minus this for the transfer.
    /// </summary>
    public TimeSpan RefinedPassReserve { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>When the refined pass runs while layers arrive; a query's options may override it.</summary>
    public RefineOn RefineOn { get; init; } = RefineOn.Last;
    public TimeSpan RefinedInferenceTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Base side of the RoI in original pixels (ViCrop's "model input size"); scales 1–2 of it are tried.</summary>
    public int LocalBasePixels { get; init; } = 640;

    /// <summary>The edge downsizes a local crop whose long side exceeds this.</summary>
    public int LocalMaxLongSide { get; init; } = 1280;

    public int LocalJpegQuality { get; init; } = 90;

    /// <summary>Most bytes one query's local image may take; the edge is told this cap and plans within it.</summary>
    public long MaxLocalBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>
    /// Node-wide bound on local-image bytes held by all retransmissions together. When less than
    /// <see cref="MinLocalBytes"/> is free, a query that wants detail waits (within its transfer time)
    /// for bytes to free up, and is answered degraded if none do.
    /// </summary>
    public long MaxLocalBytesInFlight { get; init; } = 64 * 1024 * 1024;

    /// <summary>Smallest useful cap for one local image (a first layer at low resolution).</summary>
    public long MinLocalBytes { get; init; } = 64 * 1024;

    /// <summary>Final results kept to answer duplicate submissions without recomputing.</summary>
    public int CompletedCacheSize { get; init; } = 4096;

    public long MaxImagePixels { get; init; } = ImageLimits.Default.MaxPixels;

    public UncertaintySpec Uncertainty => new(Measure, Aggregation, AggregationK);

    /// <summary>
    /// Time the edge gets for the whole local transfer when <paramref name="remaining"/> is left of the
    /// query's deadline: what remains after the refined pass's share — <see cref="RefinedPassReserve"/>, or
    /// <paramref name="refinedPassDone"/> (the node's forecast for a model job queued now) when its model is busier
    /// than that — at most <see cref="LocalStageTimeout"/>. Zero when the deadline leaves no room for it.
    /// </summary>
    public TimeSpan TransferTime(TimeSpan remaining, TimeSpan refinedPassDone = default)
    {
        var left = remaining - (refinedPassDone > RefinedPassReserve ? refinedPassDone : RefinedPassReserve);
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < LocalStageTimeout ? left : LocalStageTimeout;
    }

    /// <summary>Null when usable; otherwise a sentence naming the bad setting.</summary>
    public string? Validate()
    {
        if (double.IsNaN(Threshold) || Threshold < 0) return $"Server:Threshold must be ≥ 0 (got {Threshold})";
        if (RetransmitBudget is { } share && !(share is >= 0 and <= 1)) return $"Server:RetransmitBudget must be a share of queries in [0, 1] (got {share})";
        if (RetransmitBytesPerQuery is { } bytes && bytes < 0) return $"Server:RetransmitBytesPerQuery must be ≥ 0 bytes (got {bytes})";
        if (RetransmitBudget is not null && RetransmitBytesPerQuery is not null)
            return "set one of Server:RetransmitBudget (a share of queries) and Server:RetransmitBytesPerQuery (bytes per query), not both";
        if (RetransmitBudgetWindow < 10) return $"Server:RetransmitBudgetWindow must be ≥ 10 (got {RetransmitBudgetWindow})";
        if (MaxQuestionLength < 1) return "Server:MaxQuestionLength must be ≥ 1";
        if (MaxInFlight < 1) return "Server:MaxInFlight must be ≥ 1";
        if (InferenceQueueCapacity < 1) return "Server:InferenceQueueCapacity must be ≥ 1";
        if (LocalBasePixels < 32) return "Server:LocalBasePixels must be ≥ 32";
        if (LocalJpegQuality is < 1 or > 100) return "Server:LocalJpegQuality must be in 1..100";
        if (AggregationK < 1) return "Server:AggregationK must be ≥ 1";
        if (MinLocalBytes < 1024) return "Server:MinLocalBytes must be ≥ 1024";
        if (MaxLocalBytes < MinLocalBytes) return $"Server:MaxLocalBytes ({MaxLocalBytes}) must be ≥ Server:MinLocalBytes ({MinLocalBytes})";
        if (MaxLocalBytesInFlight < MaxLocalBytes) return $"Server:MaxLocalBytesInFlight ({MaxLocalBytesInFlight}) must be ≥ Server:MaxLocalBytes ({MaxLocalBytes})";
        if (RefinedPassReserve < TimeSpan.Zero) return "Server:RefinedPassReserve must be ≥ 0";
        if (ServiceTimePrior < TimeSpan.Zero) return "Server:ServiceTimePrior must be ≥ 0";
        if (double.IsNaN(AdmissionDeadlineShare) || AdmissionDeadlineShare is <= 0 or > 1) return "Server:AdmissionDeadlineShare must be in (0, 1]";
        if (LoadReportInterval <= TimeSpan.Zero) return "Server:LoadReportInterval must be > 0";
        if (ShutdownDrainTimeout < TimeSpan.Zero) return "Server:ShutdownDrainTimeout must be ≥ 0";
        return null;
    }
}

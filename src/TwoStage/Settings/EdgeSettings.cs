using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.TwoStage.Routing;

namespace CollabVlm.TwoStage;

/// <summary>
/// Settings of the edge devices on a node. Bound from configuration section "Edge"
/// (environment variables <c>COLLABVLM_Edge__GlobalLongSide</c> etc.).
/// </summary>
public sealed record EdgeSettings
{
    /// <summary>Long side of the global image, pixels (the server's model input size).</summary>
    public int GlobalLongSide { get; init; } = 768;

    public int GlobalJpegQuality { get; init; } = 80;

    /// <summary>The global image travels in one remote message, so its quality is lowered until it fits this.</summary>
    public int MaxGlobalBytes { get; init; } = 90_000;

    /// <summary>
    /// When the link estimate says the global image would take longer than this to upload, its JPEG
    /// quality is lowered (down to <see cref="MinGlobalJpegQuality"/>) until it would not.
    /// </summary>
    public TimeSpan GlobalTargetUploadTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Lowest JPEG quality the global image is lowered to, for the link or for the message size.</summary>
    public int MinGlobalJpegQuality { get; init; } = 40;

    /// <summary>The link budget never shrinks the global image below this many bytes.</summary>
    public int MinGlobalBytes { get; init; } = 12_000;

    /// <summary>Smallest long side of a local crop the edge will send (it never upscales).</summary>
    public int LocalMinLongSide { get; init; } = 320;

    /// <summary>Local crop JPEG quality range; the server's request caps the top.</summary>
    public int LocalMinQuality { get; init; } = 50;
    public int LocalMaxQuality { get; init; } = 90;

    /// <summary>Most progressive layers one local image is split into.</summary>
    public int LocalMaxLayers { get; init; } = 4;

    /// <summary>Re-submit when no server accepts the query within this.</summary>
    public TimeSpan AcceptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>After an accepted query's server dies, wait this long for a late answer before re-submitting.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra time after the query's deadline before the edge gives up on a server.</summary>
    public TimeSpan AnswerGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Submissions after lost or silent servers; refusals (busy, shutting down) do not count, the deadline bounds those.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Back-off after a server's first refusal (busy, shutting down); it doubles per refusal up to <see cref="BusyBackoffCap"/>, jittered ±50 %.</summary>
    public TimeSpan BusyBackoffFirst { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan BusyBackoffCap { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A refused query is re-submitted only while at least this much of its deadline would be left after the back-off.</summary>
    public TimeSpan BusyRetryMinLeft { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The back-off rule from the three settings above.</summary>
    public BusyBackoff Backoff => new(BusyBackoffFirst, BusyBackoffCap, BusyRetryMinLeft);

    /// <summary>Frames held for unanswered queries per device; more are refused as busy.</summary>
    public int MaxPendingQueries { get; init; } = 32;

    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxQuestionLength { get; init; } = 500;

    public long MaxImagePixels { get; init; } = ImageLimits.Default.MaxPixels;

    /// <summary>
    /// Whether this device runs the text detector over its full-resolution frame while the server
    /// runs the global pass, and snaps a requested region onto the text it found. On by default: the server's
    /// own region cannot point at text the global image lost (on real photographs it found 48 % of signs, the
    /// scan 92–94 %). It costs the device CPU time, bounded by <see cref="ProposalMaxPixels"/> and
    /// <see cref="ProposalTimeBudget"/>, and is cancelled as soon as the query is answered; turn it off on a
    /// device that cannot spare the CPU. A node without the detector's model files runs without it.
    /// </summary>
    public bool ProposeRegions { get; init; } = true;

    /// <summary>
    /// Whether this device scans its frame for a question: with <see cref="ProposeRegions"/> on, for questions that
    /// ask for something written (<see cref="Inference.Reader.Question.SignQueryParser.AsksToRead"/>); the scan finds
    /// text, and would pull the region of any other question onto it.
    /// </summary>
    public bool ScansFor(string question) => ProposeRegions && Inference.Reader.Question.SignQueryParser.AsksToRead(question);

    /// <summary>Detector pixels per frame for the proposals: a larger frame is scanned scaled down to this.</summary>
    public long ProposalMaxPixels { get; init; } = 4_000_000;

    /// <summary>
    /// Longest the proposals may run per frame; tiles not started by then are skipped. 8 s covers a global pass and
    /// the <see cref="ProposalWait"/> after it; a scan the query no longer needs is cancelled sooner.
    /// </summary>
    public TimeSpan ProposalTimeBudget { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Longest a region request waits for a scan still running before the crop is cut with the tiles scanned so
    /// far (none: the server's region). Capped by <see cref="ProposalWaitWithin"/>: the wait eats the transfer's time.
    /// 4 s: with the server's default 10 s transfer time the cap (3.3 s) decides, which is what measured best through
    /// the cluster when the scan could cover the frame by then (docs/photo-set.md); 1 s gained little.
    /// </summary>
    public TimeSpan ProposalWait { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// With a scan: how many of the next-best lines get a small crop of their own beside the region, in the same local
    /// image (<see cref="Inference.RunnerUpChoice"/>); 0 sends the region alone. Each costs a few kilobytes; where the
    /// ranking's first line was wrong, the true one was mostly second or third.
    /// </summary>
    public int RegionRunnersUp { get; init; } = 2;

    /// <summary>
    /// With the scan: the least side, in frame pixels, of a region snapped onto a line the edge found: the sign with a
    /// margin, at least 16 of its line's heights across and 10 down, and at least this, a line taller than 32 px sent
    /// scaled down to that as the runners-up are (<c>ProposalRanking.Choose</c>, <c>RunnerUpChoice.MaxLinePx</c>).
    /// 0 (the default) keeps the server's box as the least size, at the region's own pixels. 480 halved the local
    /// bytes on both photo sets with the same answers on tune and one fewer held out (docs/photo-set.md).
    /// </summary>
    public int SnappedRegionPixels { get; init; }

    /// <summary>The most runners-up a local image carries beside its region.</summary>
    public const int MaxRegionRunnersUp = 4;

    /// <summary>The wait for an unfinished scan when the region request leaves <paramref name="transferLeft"/> for
    /// the transfer: <see cref="ProposalWait"/>, but at most a third of it, so the layers still have time to arrive.</summary>
    public TimeSpan ProposalWaitWithin(TimeSpan transferLeft) =>
        transferLeft <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(ProposalWait.Ticks, transferLeft.Ticks / 3));

    /// <summary>The layer planner's bounds from these settings (the server's request may narrow them further).</summary>
    public LayerPlanSettings LayerPlan => LayerPlanSettings.Default with
    {
        MinLongSide = LocalMinLongSide,
        MinQuality = LocalMinQuality,
        MaxQuality = LocalMaxQuality,
        MaxLayers = LocalMaxLayers,
    };

    public string? Validate()
    {
        if (GlobalLongSide < 32) return "Edge:GlobalLongSide must be ≥ 32";
        if (GlobalJpegQuality is < 1 or > 100) return "Edge:GlobalJpegQuality must be in 1..100";
        if (MaxGlobalBytes < 4096) return "Edge:MaxGlobalBytes must be ≥ 4096";
        if (MaxAttempts < 1) return "Edge:MaxAttempts must be ≥ 1";
        if (Backoff.Validate() is { } backoff) return $"Edge:BusyBackoffFirst, BusyBackoffCap, BusyRetryMinLeft: {backoff}";
        if (MaxPendingQueries < 1) return "Edge:MaxPendingQueries must be ≥ 1";
        if (MinGlobalJpegQuality < 1 || MinGlobalJpegQuality > GlobalJpegQuality) return $"Edge:MinGlobalJpegQuality must be in 1..Edge:GlobalJpegQuality ({GlobalJpegQuality})";
        if (GlobalTargetUploadTime <= TimeSpan.Zero) return "Edge:GlobalTargetUploadTime must be > 0";
        if (LocalMaxLayers < 1) return "Edge:LocalMaxLayers must be ≥ 1";
        if (LocalMinLongSide < 16) return "Edge:LocalMinLongSide must be ≥ 16";
        if (ProposalMaxPixels < 230_400) return "Edge:ProposalMaxPixels must be ≥ 230400 (a quarter of one 960-px detector tile)";
        if (ProposalTimeBudget <= TimeSpan.Zero) return "Edge:ProposalTimeBudget must be > 0";
        if (ProposalWait < TimeSpan.Zero) return "Edge:ProposalWait must be ≥ 0";
        if (SnappedRegionPixels < 0) return "Edge:SnappedRegionPixels must be ≥ 0 (0: the server's box)";
        if (RegionRunnersUp is < 0 or > MaxRegionRunnersUp) return $"Edge:RegionRunnersUp must be in 0..{MaxRegionRunnersUp}";
        if (LocalMinQuality < 1 || LocalMaxQuality > 100 || LocalMinQuality > LocalMaxQuality) return "Edge:LocalMinQuality and Edge:LocalMaxQuality must satisfy 1 ≤ min ≤ max ≤ 100";
        return null;
    }
}

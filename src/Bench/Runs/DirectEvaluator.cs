using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.InProcess;
using CollabVlm.TwoStage.Region;
using SkiaSharp;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// Direct mode: the model called in-process through the same two-stage loop the cluster runs
/// (<see cref="InProcessLoop"/>: the edge's link-aware global image, the gate, the region, the
/// progressive layers and the local stage's refine decisions), minus transport. It yields per-question
/// global and refined outputs, from which every gate can be replayed.
/// </summary>
/// <param name="link">The link the in-process edge assumes (<see cref="InProcessLoop.Unconstrained"/> unless the run shapes one).</param>
/// <param name="deadline">Each question's deadline (the run's <c>--deadline</c>); the edge's default when null.</param>
/// <param name="proposer">The edge's full-frame text scan for the edge-proposals candidate (<see cref="ProposalPassAsync"/>); none when null.</param>
/// <param name="zoom">The two-level zoom candidate (<see cref="ZoomPassAsync"/>); none when null.</param>
public sealed class DirectEvaluator(IVisionLanguageModel model, EdgeSettings edge, ServerSettings server, Func<int, IVisionLanguageModel>? fullFrameModel,
    LinkView? link = null, TimeSpan? deadline = null, TiledTextProposer? proposer = null, TwoLevelZoom? zoom = null)
{
    private readonly LinkView _link = link ?? InProcessLoop.Unconstrained;
    private readonly InProcessLoop _loop = new(model, edge, server, link ?? InProcessLoop.Unconstrained);
    private readonly InProcessLoop? _proposing = proposer is null ? null
        : new(model, edge with { ProposeRegions = true }, server, link ?? InProcessLoop.Unconstrained, proposer: proposer);
    private readonly InProcessLoop? _zooming = zoom is null ? null
        : new(model, edge with { ProposeRegions = false }, server, link ?? InProcessLoop.Unconstrained, zoom: zoom);

    /// <summary>Every measure × aggregation the sweeps compare (k = 3 for "mean of first k").</summary>
    public static IReadOnlyList<UncertaintySpec> Specs { get; } =
        (from m in Enum.GetValues<UncertaintyMeasure>()
         from a in Enum.GetValues<TokenAggregation>()
         select new UncertaintySpec(m, a, 3)).ToArray();

    public sealed record Result(IReadOnlyDictionary<string, double> Scores, PassResult Global, PassResult? Refined);

    /// <summary>
    /// The global pass scored under every measure; with <paramref name="refine"/> the loop retransmits
    /// whatever the gate would say (policy Always), so the refined pass is there for every gate's replay.
    /// </summary>
    public async Task<Result> EvaluateAsync(SKBitmap frame, string question, bool refine, CancellationToken cancellationToken)
    {
        var run = await _loop.RunAsync(frame, question, refine ? RetransmitPolicy.Always : RetransmitPolicy.Never, deadline: deadline,
            cancellationToken: cancellationToken);
        var output = run.GlobalOutput;
        var scores = Specs.ToDictionary(s => s.ToString(), s => UncertaintyScore.Score(output.Tokens, s, output.VocabularySize));
        var globalPass = new PassResult(output.Answer, run.Global.Bytes.Length, 0, output.ModelTime.TotalMilliseconds, run.GlobalElapsed.TotalMilliseconds, false,
            Roi: run.Region);
        if (!run.Verdict.Retransmit)
            return new Result(scores, globalPass, null);
        return new Result(scores, globalPass, Refined(run));
    }

    /// <summary>
    /// Always-retransmit with the region given rather than chosen: the ceiling any RoI can reach when
    /// <paramref name="region"/> is a crop around the true answer box.
    /// </summary>
    public async Task<PassResult> RegionPassAsync(SKBitmap frame, string question, NormalizedBox region, CancellationToken cancellationToken) =>
        Refined(await _loop.RunAsync(frame, question, RetransmitPolicy.Always, deadline: deadline, cancellationToken: cancellationToken, region: region));

    /// <summary>Always-retransmit with the edge scanning its full frame for text and snapping the server's region onto it; null without a proposer.</summary>
    public async Task<PassResult?> ProposalPassAsync(SKBitmap frame, string question, CancellationToken cancellationToken) =>
        _proposing is null ? null
            : Refined(await _proposing.RunAsync(frame, question, RetransmitPolicy.Always, deadline: deadline, cancellationToken: cancellationToken));

    /// <summary>Always-retransmit with a two-level zoom and no scan: a wide, coarse view first, then the tight region its pass points at; null without a zoom.</summary>
    public async Task<PassResult?> ZoomPassAsync(SKBitmap frame, string question, CancellationToken cancellationToken) =>
        _zooming is null ? null
            : Refined(await _zooming.RunAsync(frame, question, RetransmitPolicy.Always, deadline: deadline, cancellationToken: cancellationToken));

    /// <summary>
    /// A crop around a true answer box: the server's base side (or the box with a margin, when
    /// larger), centred on the box, inside the frame — the region a perfect RoI would ask for.
    /// </summary>
    public static NormalizedBox AroundBox(NormalizedBox truth, int basePixels, int frameWidth, int frameHeight) =>
        ProposalRanking.Choose(NormalizedBox.Create(0, 0, Math.Min(1, (double)basePixels / frameWidth), Math.Min(1, (double)basePixels / frameHeight)),
            null, [new TextProposal(truth, 1, ProposalRanking.MinHeightPx)], frameWidth, frameHeight);

    /// <summary>A loop's always-retransmit pass; a two-level zoom's wide view counts in the local bytes, and its request and upload as one more round trip.</summary>
    private PassResult Refined(LoopOutcome run)
    {
        var localBytes = run.LocalBytes + (run.Zoomed?.WideBytes ?? 0);
        return new(run.Answer, run.Global.Bytes.Length, localBytes, run.ModelTime.TotalMilliseconds, run.Elapsed.TotalMilliseconds, true,
            run.Region, Failure: run.DegradedReason, Stage: run.Refined is null ? AnswerStage.Degraded : AnswerStage.Refined)
        {
            HintBytes = run.HintBytes,
            RunnersUp = run.RunnersUp.Count > 0 ? run.RunnersUp : null,
            EdgeMs = (run.Proposals?.Elapsed ?? run.Zoomed?.EdgeTime)?.TotalMilliseconds,
            // Both images up, the request down and the answer back: two round trips and the bytes (the map counted at the uplink's rate).
            TransferMs = (_link.TimeToDeliver(run.Global.Bytes.Length + localBytes + run.HintBytes) + _link.RoundTrip * (run.Zoomed is null ? 1.5 : 2.5)).TotalMilliseconds,
        };
    }

    /// <summary>
    /// The "HD" ceiling: the whole frame uploaded (its stored bytes) and read at full resolution. The
    /// reader's detector is fully convolutional, so one pass at the frame's own size costs what tiling
    /// it into detector-sized tiles would, without seams that cut signs; the model for a size comes
    /// from <c>fullFrameModel</c> (detector long side = the frame's, rounded up to 512).
    /// </summary>
    public async Task<PassResult?> FullFrameAsync(byte[] frameBytes, int width, int height, string question, CancellationToken cancellationToken)
    {
        if (fullFrameModel is null) return null;
        var side = (Math.Max(width, height) + 511) / 512 * 512;
        var started = Stopwatch.GetTimestamp();
        var output = await fullFrameModel(side).AnswerAsync(new ModelInput(question, frameBytes), cancellationToken);
        return new PassResult(output.Answer, frameBytes.Length, 0, output.ModelTime.TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds, false);
    }
}

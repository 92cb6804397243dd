using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.InProcess;
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
public sealed class DirectEvaluator(IVisionLanguageModel model, EdgeSettings edge, ServerSettings server, Func<int, IVisionLanguageModel>? fullFrameModel,
    LinkView? link = null, TimeSpan? deadline = null)
{
    private readonly InProcessLoop _loop = new(model, edge, server, link ?? InProcessLoop.Unconstrained);

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
        var refined = new PassResult(run.Answer, run.Global.Bytes.Length, run.LocalBytes, run.ModelTime.TotalMilliseconds, run.Elapsed.TotalMilliseconds, true,
            run.Region, Failure: run.DegradedReason, Stage: run.Refined is null ? AnswerStage.Degraded : AnswerStage.Refined);
        return new Result(scores, globalPass, refined);
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

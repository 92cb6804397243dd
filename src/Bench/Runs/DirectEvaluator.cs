using System.Diagnostics;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.TwoStage;
using SkiaSharp;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// Direct mode: the model called in-process through <see cref="IVisionLanguageModel"/>, with the
/// global image, RoI and local crop made exactly as the edge and the coordinator make them (same
/// settings, same library calls), so its answers equal the cluster's for a deterministic model.
/// It yields per-question global and refined outputs, from which every gate can be replayed.
/// </summary>
public sealed class DirectEvaluator(IVisionLanguageModel model, EdgeSettings edge, ServerSettings server, Func<int, IVisionLanguageModel>? fullFrameModel)
{
    /// <summary>Every measure × aggregation the sweeps compare (k = 3 for "mean of first k").</summary>
    public static IReadOnlyList<UncertaintySpec> Specs { get; } =
        (from m in Enum.GetValues<UncertaintyMeasure>()
         from a in Enum.GetValues<TokenAggregation>()
         select new UncertaintySpec(m, a, 3)).ToArray();

    public sealed record Result(IReadOnlyDictionary<string, double> Scores, PassResult Global, PassResult? Refined);

    /// <summary>The global pass as the edge and server make it, scored under every measure; the refined pass too when <paramref name="refine"/>.</summary>
    public async Task<Result> EvaluateAsync(SKBitmap frame, string question, bool refine, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var global = GlobalImageMaker.MakeWithin(frame, edge.GlobalLongSide, edge.GlobalJpegQuality, edge.MaxGlobalBytes);
        var output = await model.AnswerAsync(new ModelInput(question, global.Bytes), cancellationToken);
        var globalLatency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var scores = Specs.ToDictionary(s => s.ToString(), s => UncertaintyScore.Score(output.Tokens, s, output.VocabularySize));
        var globalPass = new PassResult(output.Answer, global.Bytes.Length, 0, output.ModelTime.TotalMilliseconds, globalLatency, false);
        if (!refine)
            return new Result(scores, globalPass, null);

        var roi = RoiSelector.Select(output.Relevance, RoiSelector.BaseFraction(server.LocalBasePixels, frame.Width, frame.Height));
        var local = FrameCropper.CropToJpeg(frame, roi, server.LocalMaxLongSide, server.LocalJpegQuality);
        var refined = await model.AnswerAsync(new ModelInput(question, global.Bytes, local.Bytes, roi), cancellationToken);
        var totalLatency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new Result(scores, globalPass with { Roi = roi },
            new PassResult(refined.Answer, global.Bytes.Length, local.Bytes.Length, output.ModelTime.TotalMilliseconds + refined.ModelTime.TotalMilliseconds,
                totalLatency, true, roi));
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

using System.Text.Json;
using CollabVlm.Bench.Datasets;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Hosting;
using Microsoft.Extensions.Logging;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// Runs every strategy over a data set. Two loops run side by side over the questions: the direct
/// one (in-process global pass scored under every measure; in direct mode the refined pass too; for
/// a sample the full frame) and, unless direct-only, the cluster one (global-only, always-retransmit
/// and gated queries through the actors). Each has its own model instance, so they overlap. Records
/// are appended to <c>questions.jsonl</c> as both halves of a question complete, so an interrupted
/// run keeps what it measured; cancellation stops both loops and returns the complete records.
/// </summary>
public sealed class BenchRunner(RunSettings settings)
{
    public const string QuestionsFile = "questions.jsonl";

    public sealed record Outcome(IReadOnlyList<QuestionRecord> Records, int Planned, bool Interrupted, string Model);

    private sealed record ClusterPasses(PassResult Never, PassResult Always, PassResult Gated);

    public async Task<Outcome> RunAsync(Dataset dataset, Action<int, QuestionRecord>? progress, Action<string>? status, CancellationToken cancellationToken)
    {
        var items = settings.Limit is { } limit ? dataset.Items.Take(limit).ToList() : dataset.Items.ToList();
        var sampleEvery = settings.FullFrameSample <= 0 ? int.MaxValue : Math.Max(1, (int)Math.Ceiling(items.Count / (double)settings.FullFrameSample));
        Directory.CreateDirectory(settings.OutFolder);
        var questionsPath = Path.Combine(settings.OutFolder, QuestionsFile);
        File.Delete(questionsPath);

        using var models = new BenchModels(settings.Reader);
        using var proposer = settings.EdgeProposals
            ? new TiledTextProposer(settings.Reader, settings.Edge.ProposalMaxPixels, settings.Edge.ProposalTimeBudget)
            : null;
        var evaluator = new DirectEvaluator(models.Direct, settings.Edge, settings.Server, settings.FullFrameSample > 0 ? models.FullFrame : null, settings.DirectLink,
            settings.Deadline, proposer, settings.Zoom);
        var model = $"{models.Direct.Name} on {models.Direct.ExecutionProvider}";
        var direct = items.Select(_ => new TaskCompletionSource<(DirectEvaluator.Result Result, PassResult? Full, int W, int H, int Bytes, Dictionary<string, PassResult>? Extra)>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var records = new List<QuestionRecord>();
        var interrupted = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        LoopbackCluster? cluster = null;
        Task? directLoop = null;
        try
        {
            if (!settings.Direct)
            {
                status?.Invoke("starting a loopback cluster (1 server node, 1 edge node, TCP) ...");
                cluster = await LoopbackCluster.StartAsync(settings.Server, _ => new PpOcrReader(settings.Reader),
                    settings.Edge, edgeNodes: 1,
                    logLevel: LogLevel.Critical, uplink: settings.Uplink, cancellationToken: stop.Token, edgeDetector: settings.Reader);
            }
            var asker = cluster is null ? null : new ClusterAsker(cluster.Devices, settings.Deadline);

            directLoop = Task.Run(async () =>
            {
                for (var i = 0; i < items.Count; i++)
                {
                    try
                    {
                        var bytes = await File.ReadAllBytesAsync(dataset.ImagePath(items[i]), stop.Token);
                        using var frame = SafeImageDecoder.Decode(bytes, new ImageLimits(settings.Edge.MaxImagePixels));
                        var result = await evaluator.EvaluateAsync(frame, items[i].Question, refine: settings.Direct, stop.Token);
                        var full = i % sampleEvery == 0 ? await evaluator.FullFrameAsync(bytes, frame.Width, frame.Height, items[i].Question, stop.Token) : null;
                        var extra = await ExtraPassesAsync(evaluator, items[i], frame, stop.Token);
                        direct[i].SetResult((result, full, frame.Width, frame.Height, bytes.Length, extra));
                    }
                    catch (Exception e)
                    {
                        direct[i].SetException(e);
                        for (var j = i + 1; j < items.Count; j++) direct[j].TrySetCanceled();
                        return;
                    }
                }
            }, CancellationToken.None);

            for (var i = 0; i < items.Count; i++)
            {
                // The direct loop may have finished this question already, and awaiting a completed
                // task never observes the token: check it here so a stop request always stops.
                stop.Token.ThrowIfCancellationRequested();
                var item = items[i];
                ClusterPasses? passes = null;
                if (asker is not null)
                {
                    var bytes = await File.ReadAllBytesAsync(dataset.ImagePath(item), stop.Token);
                    passes = new ClusterPasses(
                        await asker.AskAsync(bytes, item.Question, RetransmitPolicy.Never, null, stop.Token),
                        await asker.AskAsync(bytes, item.Question, RetransmitPolicy.Always, null, stop.Token),
                        // With a budget the node's gate decides: a query carrying its own η would bypass it.
                        await asker.AskAsync(bytes, item.Question, RetransmitPolicy.Gated, settings.Server.RetransmitBudget is null ? settings.Threshold : null, stop.Token));
                }
                var (result, full, width, height, frameBytes, extra) = await direct[i].Task.WaitAsync(stop.Token);
                var refined = result.Refined ?? passes!.Always;
                var record = new QuestionRecord(item, frameBytes, width, height, result.Scores, result.Global, refined,
                    passes?.Never, passes?.Always, passes?.Gated, full, extra);
                records.Add(record);
                await File.AppendAllTextAsync(questionsPath, JsonSerializer.Serialize(record) + "\n", CancellationToken.None);
                progress?.Invoke(i + 1, record);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            await stop.CancelAsync();
            if (directLoop is not null)
                await directLoop.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            if (cluster is not null)
            {
                status?.Invoke("stopping the cluster ...");
                await cluster.DisposeAsync();
            }
        }
        return new Outcome(records, items.Count, interrupted, model);
    }

    /// <summary>The in-process always-retransmit passes with other regions: the true-box ceiling, the edge-proposals and the two-level zoom candidates, as asked.</summary>
    private async Task<Dictionary<string, PassResult>?> ExtraPassesAsync(DirectEvaluator evaluator, DatasetItem item, SkiaSharp.SKBitmap frame, CancellationToken cancellationToken)
    {
        var extra = new Dictionary<string, PassResult>();
        if (settings.TrueBox && item.Box is { } b)
        {
            var region = DirectEvaluator.AroundBox(b.In(frame.Width, frame.Height), settings.Server.LocalBasePixels, frame.Width, frame.Height);
            extra[RunAnalysis.TrueBoxRow] = await evaluator.RegionPassAsync(frame, item.Question, region, cancellationToken);
        }
        if (await evaluator.ProposalPassAsync(frame, item.Question, cancellationToken) is { } proposed)
            extra[RunAnalysis.EdgeProposalsRow] = proposed;
        if (await evaluator.ZoomPassAsync(frame, item.Question, cancellationToken) is { } zoomed)
            extra[RunAnalysis.TwoLevelZoomRow] = zoomed;
        return extra.Count == 0 ? null : extra;
    }
}

using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Gate;
using CollabVlm.TwoStage.GlobalImage;
using CollabVlm.TwoStage.LocalImage;
using CollabVlm.TwoStage.Refinement;
using CollabVlm.TwoStage.Region;
using SkiaSharp;

namespace CollabVlm.TwoStage.InProcess;

/// <summary>
/// The whole two-stage loop in one process, with no cluster and no network: the same calls the edge
/// and the coordinator make (<see cref="GlobalImageBudget"/>, <see cref="RetransmitGate"/>,
/// <see cref="RegionChoice"/>, <see cref="LocalImageEncoder"/>, <see cref="LocalStage"/>, the transfer
/// time of <see cref="ServerSettings.TransferTime"/>). The benchmark's in-process mode runs it, so what
/// it measures is what the cluster does for a deterministic model, minus transport. Layers are handed
/// over one at a time, each after the previous one's refined pass (if any) returned: with
/// <see cref="RefineOn.EachLayer"/> every layer gets its own pass, as on a link slower than a pass;
/// the cluster, where layers keep arriving during a pass, may give one pass several new layers.
/// </summary>
/// <param name="link">The link the edge believes it has; it sizes the global image and the layer plan.</param>
/// <param name="budget">The gate's budget, as a node holds one; by default from <c>Server:RetransmitBudget</c> (none: fixed η).</param>
/// <param name="proposer">
/// The edge's full-frame text detector, used when <see cref="EdgeSettings.ProposeRegions"/> is on: it
/// runs while the global pass does and snaps the requested region, adding its runners-up (<see cref="RegionChoice.Cut"/>).
/// </param>
/// <param name="zoom">
/// A region candidate the cluster does not run (the benchmark measures it): without a scan, a wide, coarse view around
/// the server's region goes first and the server's pass over it chooses the tight region (<see cref="TwoLevelZoom"/>).
/// </param>
public sealed class InProcessLoop(IVisionLanguageModel model, EdgeSettings edge, ServerSettings server, LinkView link, RetransmitBudget? budget = null,
    TiledTextProposer? proposer = null, TwoLevelZoom? zoom = null)
{
    private readonly RetransmitBudget? _budget = budget ?? RetransmitBudget.For(server);

    /// <summary>
    /// A link that never limits (1 Gbit/s, 1 ms, full confidence): the loop's answers and bytes then
    /// depend only on the settings, as on a fast LAN.
    /// </summary>
    public static LinkView Unconstrained { get; } = new(125_000_000, TimeSpan.FromMilliseconds(1), 1);

    /// <summary>
    /// Answers <paramref name="question"/> about <paramref name="frame"/>; <paramref name="policy"/> and
    /// <paramref name="threshold"/> default to the server's gate (its budget, else its η), <paramref name="deadline"/> to the edge's.
    /// A given <paramref name="region"/> replaces the server's choice and the edge's snap (benchmarks
    /// use it for the ceiling: a crop around the true answer region).
    /// </summary>
    public async Task<LoopOutcome> RunAsync(SKBitmap frame, string question, RetransmitPolicy policy = RetransmitPolicy.Gated,
        double? threshold = null, TimeSpan? deadline = null, CancellationToken cancellationToken = default, NormalizedBox? region = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var started = Stopwatch.GetTimestamp();
        var regionGiven = region is not null;

        // Step 1: the edge's global image; the server's global pass; meanwhile the edge's own scan for text.
        var global = GlobalImageBudget.Make(frame, link, edge);
        using var stopProposing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var proposing = proposer is not null && edge.ScansFor(question) && region is null
            ? proposer.ProposeAsync(frame, stopProposing.Token)
            : null;
        ModelOutput globalOutput;
        try
        {
            globalOutput = await model.AnswerAsync(new ModelInput(question, global.Bytes), cancellationToken);
        }
        catch
        {
            await Settle(proposing, stopProposing);
            throw;
        }

        var globalElapsed = Stopwatch.GetElapsedTime(started);

        // Step 2: the gate.
        var verdict = RetransmitGate.Decide(globalOutput, server, policy, threshold, _budget);
        if (!verdict.Retransmit)
        {
            await Settle(proposing, stopProposing); // the frame must outlive the scan
            return new LoopOutcome(global, globalOutput, verdict, null, 0, 0, null, null, TimeSpan.Zero, globalElapsed, globalElapsed);
        }

        // Step 3: the region (snapped by the edge onto its proposals when it has them), and the edge's progressive local image of it.
        region ??= RegionChoice.For(globalOutput, server.LocalBasePixels, frame.Width, frame.Height);
        ProposalSet? proposals = null;
        var cut = RegionCut.Only(region);
        var hintBytes = 0;
        ZoomedRegion? zoomed = null;
        if (proposing is not null)
        {
            var hint = RegionChoice.Hint(globalOutput);
            hintBytes = hint.Cells.Length;
            proposals = await Settle(proposing, null);
            cut = RegionChoice.Cut(region, hint, proposals, frame.Width, frame.Height, SignQueryParser.Parse(question), edge.GlobalLongSide, edge.RegionRunnersUp,
                edge.SnappedRegionPixels);
            region = cut.Region;
        }
        else if (zoom is not null && !regionGiven)
        {
            zoomed = await zoom.NarrowAsync(model, frame, question, region, server.LocalBasePixels, cancellationToken);
            cut = RegionCut.Only(region = zoomed.Region);
        }
        var transfer = server.TransferTime((deadline ?? edge.DefaultDeadline) - Stopwatch.GetElapsedTime(started));
        if (transfer <= TimeSpan.Zero)
            return new LoopOutcome(global, globalOutput, verdict, region, 0, 0, null, "the deadline left no time to transfer the local image",
                TimeSpan.Zero, globalElapsed, Stopwatch.GetElapsedTime(started)) { Proposals = proposals, HintBytes = hintBytes, Zoomed = zoomed };
        var request = new LocalImageRequest(region, transfer, server.LocalMaxLongSide, server.LocalJpegQuality, server.MaxLocalBytes);
        var local = LocalImageEncoder.Encode(frame, cut, request, link, edge.LayerPlan);

        // Step 4: layers arrive one by one; the local stage decides when to refine and when to stop.
        var stage = new LocalStage(verdict.Threshold, server.RefineOn);
        var received = new ProgressiveJpegAssembler(server.MaxLocalBytes);
        var refinedTime = zoomed?.ModelTime ?? TimeSpan.Zero;
        LocalStageStep step = LocalStageStep.Wait.Instance;
        foreach (var layer in local.Layers)
        {
            if (stage.StreamOver) break; // stopped early: the rest is never sent
            received.Append(layer);
            step = await Follow(stage.LayerArrived(received.LayersReceived));
        }
        if (!stage.StreamOver) step = await Follow(stage.StreamEnded(null));
        if (verdict.ByBudget) _budget?.Spent(received.Length); // the byte form's price, as the coordinator reports it

        return new LoopOutcome(global, globalOutput, verdict, region, received.Length, received.LayersReceived,
            (step as LocalStageStep.Answer)?.Pass, (step as LocalStageStep.Degrade)?.Reason, refinedTime,
            globalElapsed, Stopwatch.GetElapsedTime(started))
        {
            Proposals = proposals, HintBytes = hintBytes, RunnersUp = [.. cut.RunnersUp.Select(r => r.Region)], Zoomed = zoomed,
        };

        // Runs refined passes and early stops until the stage waits for the next layer or decides.
        async Task<LocalStageStep> Follow(LocalStageStep next)
        {
            while (true)
            {
                switch (next)
                {
                    case LocalStageStep.Refine:
                        ModelOutput output;
                        try
                        {
                            output = await model.AnswerAsync(new ModelInput(question, global.Bytes, received.DecodableBytes(), region, local.Tiles), cancellationToken);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            next = stage.RefineFailed(e.Message);
                            continue;
                        }
                        refinedTime += output.ModelTime;
                        next = stage.Refined(output, UncertaintyScore.Score(output.Tokens, server.Uncertainty, output.VocabularySize));
                        break;
                    case LocalStageStep.StopStream:
                        next = stage.StreamEnded(null);
                        break;
                    default:
                        return next;
                }
            }
        }
    }

    /// <summary>
    /// Waits for the edge's scan (cancelled first when <paramref name="stop"/> is given); a scan that
    /// failed or was cancelled yields no proposals, never a failed query.
    /// </summary>
    private static async Task<ProposalSet?> Settle(Task<ProposalSet>? proposing, CancellationTokenSource? stop)
    {
        if (proposing is null) return null;
        if (stop is not null) await stop.CancelAsync();
        try
        {
            return await proposing;
        }
        catch (Exception)
        {
            return null;
        }
    }
}

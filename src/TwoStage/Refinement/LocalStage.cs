using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Refinement;

/// <summary>
/// Step 4 of the loop, the decisions of the local stage: progressive layers of the local image
/// arrive, refined passes run on complete layers, and the stage ends in exactly one refined answer
/// or one reason to fall back to the global answer. Plain state, no timers and no I/O: the caller
/// (the server's <c>Retransmission</c> actor, or the in-process loop) reports what happened and does the returned
/// <see cref="LocalStageStep"/>.
/// <para>
/// With <see cref="RefineOn.Last"/> a pass runs once, on every complete layer there is when the
/// stream ends; with <see cref="RefineOn.EachLayer"/> one runs after each layer (one at a time; a
/// layer that completes during a pass is picked up after it) and a pass at or below η stops the
/// stream. After the stream ends, layers no pass has seen get one more pass; the last pass's
/// result is the answer.
/// </para>
/// </summary>
public sealed class LocalStage(double threshold, RefineOn refineOn)
{
    private int _refining;

    /// <summary>Complete layers received so far.</summary>
    public int LayersArrived { get; private set; }

    /// <summary>Layers the latest pass (running or done) was given.</summary>
    public int LayersTried { get; private set; }

    public bool StreamOver { get; private set; }

    public bool Refining => _refining > 0;

    /// <summary>The latest finished refined pass, if any.</summary>
    public RefinedPass? Latest { get; private set; }

    /// <summary>The most recent problem (a broken stream, a failed pass), reported if the stage degrades.</summary>
    public string? Problem { get; private set; }

    /// <summary>A chunk completed a layer; <paramref name="layersComplete"/> layers are now whole.</summary>
    public LocalStageStep LayerArrived(int layersComplete)
    {
        if (StreamOver) return LocalStageStep.Wait.Instance; // late elements after the stream was cut are not used
        LayersArrived = Math.Max(LayersArrived, layersComplete);
        return refineOn == RefineOn.EachLayer ? NextPass() : LocalStageStep.Wait.Instance;
    }

    /// <summary>The edge declined the region request.</summary>
    public LocalStageStep Declined(string reason) =>
        LayersArrived == 0 ? new LocalStageStep.Degrade($"the edge declined the region request: {reason}") : LocalStageStep.Wait.Instance;

    /// <summary>
    /// The stream is over: every layer arrived, it broke, its time ran out or it was stopped early.
    /// <paramref name="problem"/> is why it ended short, null when that is no fault.
    /// </summary>
    public LocalStageStep StreamEnded(string? problem)
    {
        if (StreamOver) return LocalStageStep.Wait.Instance;
        StreamOver = true;
        Problem = problem ?? Problem;
        return Finish();
    }

    /// <summary>Why a stream cut at its deadline failed, or null when complete layers arrived in time.</summary>
    public string? CutAtDeadline(string stage) =>
        LayersArrived == 0 ? $"no complete layer of the local image arrived within the {stage} time" : null;

    public LocalStageStep Refined(ModelOutput output, double uncertainty)
    {
        ArgumentNullException.ThrowIfNull(output);
        Latest = new RefinedPass(output, uncertainty, _refining);
        _refining = 0;
        if (!StreamOver && uncertainty <= threshold) return LocalStageStep.StopStream.Instance; // sure on a prefix
        return AfterPass();
    }

    public LocalStageStep RefineFailed(string message)
    {
        _refining = 0;
        Problem = $"refined pass: {message}";
        return AfterPass();
    }

    /// <summary>The refined pass (after the stream ended) took longer than its timeout: answer with what there is.</summary>
    public LocalStageStep TimedOut(string stage)
    {
        Problem ??= $"the {stage} took longer than its timeout";
        return Latest is not null ? new LocalStageStep.Answer(Latest) : new LocalStageStep.Degrade(Problem);
    }

    private LocalStageStep AfterPass() =>
        StreamOver ? Finish() : refineOn == RefineOn.EachLayer ? NextPass() : LocalStageStep.Wait.Instance;

    private LocalStageStep Finish()
    {
        if (Refining) return LocalStageStep.Wait.Instance; // its result decides
        if (LayersArrived > LayersTried) return NextPass();
        if (Latest is not null) return new LocalStageStep.Answer(Latest);
        return new LocalStageStep.Degrade(Problem ?? "the edge closed the local stream without sending a complete layer");
    }

    private LocalStageStep NextPass()
    {
        if (Refining || LayersArrived <= LayersTried) return LocalStageStep.Wait.Instance;
        _refining = LayersTried = LayersArrived;
        return new LocalStageStep.Refine(LayersArrived);
    }
}

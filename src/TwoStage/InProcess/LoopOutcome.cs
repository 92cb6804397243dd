using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Gate;
using CollabVlm.TwoStage.Refinement;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.TwoStage.InProcess;

/// <summary>
/// One question through <see cref="InProcessLoop"/>: the global image and pass, the gate's verdict,
/// and when it asked for detail the region, the bytes of the layers sent and the refined pass that
/// answered (null when the local stage degraded, with <see cref="DegradedReason"/>); wall-clock
/// times of the global stage (global image and pass) and of the whole loop.
/// </summary>
public sealed record LoopOutcome(
    EncodedImage Global,
    ModelOutput GlobalOutput,
    GateVerdict Verdict,
    NormalizedBox? Region,
    long LocalBytes,
    int LayersSent,
    RefinedPass? Refined,
    string? DegradedReason,
    TimeSpan RefinedModelTime,
    TimeSpan GlobalElapsed,
    TimeSpan Elapsed)
{
    /// <summary>The answer the coordinator would give: the refined one when there is one, else the global one.</summary>
    public string Answer => Refined?.Output.Answer ?? GlobalOutput.Answer;

    public TimeSpan ModelTime => GlobalOutput.ModelTime + RefinedModelTime;

    /// <summary>What the edge's full-frame scan found (null when the device does not scan, or no region was asked for).</summary>
    public ProposalSet? Proposals { get; init; }

    /// <summary>Bytes of the server's coarse relevance map sent with the region request (0 without a scan to rank).</summary>
    public int HintBytes { get; init; }

    /// <summary>The other parts of the frame the local image showed beside <see cref="Region"/> (the edge's runners-up); empty when none.</summary>
    public IReadOnlyList<NormalizedBox> RunnersUp { get; init; } = [];

    /// <summary>The first level of a two-level zoom, when the loop ran one (its wide view's bytes are not in <see cref="LocalBytes"/>).</summary>
    public ZoomedRegion? Zoomed { get; init; }
}

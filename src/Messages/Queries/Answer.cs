using CollabVlm.Primitives;

namespace CollabVlm.Messages;

/// <summary>
/// The final answer to a query. <paramref name="Uncertainty"/> is that of the returned text;
/// <paramref name="GlobalUncertainty"/> is the global pass's, the value the gate compared with
/// <paramref name="Threshold"/>. Bytes count image payload bytes the edge sent for this query.
/// <paramref name="LayersUsed"/> of the <paramref name="LayersPlanned"/> progressive layers fed the
/// refined pass; <paramref name="BytesLocalPlanned"/> − <paramref name="BytesLocal"/> is what stopping
/// the stream early saved. <paramref name="GlobalQuality"/> is the global image's JPEG quality.
/// <paramref name="RunnersUp"/> are the other parts of the frame the local image showed beside <paramref name="Roi"/>
/// (small crops of the next-best lines the edge found); null when it showed the region alone.
/// </summary>
public sealed record Answer(
    string Text,
    AnswerStage Stage,
    double Uncertainty,
    double GlobalUncertainty,
    double Threshold,
    long BytesGlobal,
    long BytesLocal,
    int LayersUsed,
    NormalizedBox? Roi,
    string? DegradedReason,
    StageTimings Timings,
    int GlobalQuality = 0,
    int LayersPlanned = 0,
    long BytesLocalPlanned = 0,
    IReadOnlyList<NormalizedBox>? RunnersUp = null)
{
    /// <summary>Local bytes the edge had planned but did not send because the server stopped the stream.</summary>
    public long BytesLocalSaved => Math.Max(0, BytesLocalPlanned - BytesLocal);
}

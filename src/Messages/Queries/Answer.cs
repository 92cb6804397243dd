namespace CollabVlm.Messages;

/// <summary>
/// The final answer to a query. <paramref name="Uncertainty"/> is that of the returned text;
/// <paramref name="GlobalUncertainty"/> is the global pass's, the value the gate compared with
/// <paramref name="Threshold"/>. Bytes count image payload bytes the edge sent for this query.
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
    StageTimings Timings);

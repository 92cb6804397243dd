using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>
/// The figures of one gate on one set: accuracy (exact match, ANLS), extra communication cost,
/// retransmission share, relative compute and how many questions it retransmitted.
/// <paramref name="Threshold"/> is η for a threshold gate, NaN for gates without one (random, oracle).
/// </summary>
public sealed record GatePoint(
    double Threshold,
    double AccuracyEm,
    double AccuracyAnls,
    double ExtraCost,
    double RetransmissionShare,
    double RelativeCompute,
    int Retransmitted,
    int Questions);

using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>
/// One question seen through both passes: what any gate needs to be simulated on it. The gate
/// retransmits when <paramref name="Uncertainty"/> exceeds η; then the question costs
/// <paramref name="LocalBytes"/> more and scores the refined answer instead of the global one.
/// Model times feed the relative-compute figure (docs/evaluation.md, "Figures").
/// </summary>
public readonly record struct GateCase(
    double Uncertainty,
    bool GlobalRight,
    bool RefinedRight,
    double GlobalAnls,
    double RefinedAnls,
    long GlobalBytes,
    long LocalBytes,
    double GlobalModelMs,
    double RefinedModelMs);

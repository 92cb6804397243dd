namespace CollabVlm.TwoStage.Gate;

/// <summary>
/// The global answer's uncertainty (bits), whether the gate asks for the local image, and the η the
/// decision was taken at (the fixed one, or what a <see cref="RetransmitBudget"/> amounted to).
/// <see cref="ByBudget"/>: the node's budget decided, so the bytes a retransmission takes are reported to it.
/// </summary>
public readonly record struct GateVerdict(double Uncertainty, bool Retransmit, double Threshold)
{
    public bool ByBudget { get; init; }
}

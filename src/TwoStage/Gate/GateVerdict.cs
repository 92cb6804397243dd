namespace CollabVlm.TwoStage.Gate;

/// <summary>The global answer's uncertainty (bits) and whether the gate asks for the local image.</summary>
public readonly record struct GateVerdict(double Uncertainty, bool Retransmit);

using CollabVlm.Inference;

namespace CollabVlm.TwoStage.Refinement;

/// <summary>One refined pass's result: the model's output on global + the first <see cref="Layers"/> layers, and its uncertainty.</summary>
public sealed record RefinedPass(ModelOutput Output, double Uncertainty, int Layers);

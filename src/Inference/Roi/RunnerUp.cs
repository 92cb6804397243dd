using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// A line ranked after the one the region was centred on, worth a small crop of its own in the same local image:
/// <paramref name="Region"/> of the frame around its sign, shown at <paramref name="Scale"/> of its original pixels.
/// </summary>
public sealed record RunnerUp(NormalizedBox Region, double Scale, TextProposal Line);

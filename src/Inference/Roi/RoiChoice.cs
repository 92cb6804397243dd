using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// The region <see cref="RoiSelector"/> picked, with the window scale r (multiple of the base crop
/// side) that won and its sharpness, so benchmarks can report how the choice was made.
/// </summary>
public sealed record RoiChoice(NormalizedBox Box, double Scale, double Sharpness);

using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// A text line the edge's detector found in the full-resolution frame: its box normalized to the
/// frame, the detector's mean probability inside it (0–1), and its height in original pixels.
/// </summary>
public sealed record TextProposal(NormalizedBox Box, double Score, double HeightPx);

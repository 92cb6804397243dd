using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// A text line the edge's detector found in the full-resolution frame: its box normalized to the
/// frame, the detector's mean probability inside it (0–1), its height in original pixels, and the
/// colour name of the plate around it (null when not told), so a question that names a colour can pick
/// its line without reading it.
/// </summary>
public sealed record TextProposal(NormalizedBox Box, double Score, double HeightPx, string? Colour = null);

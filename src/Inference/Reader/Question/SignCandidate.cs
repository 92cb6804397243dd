using CollabVlm.Primitives;

namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// One sign the reader found: its lines' box in the coordinates of the whole frame (normalized, so
/// signs read in the global image and in a local crop compare), what it read there (empty when no
/// line was legible) and the plate colour's name (null when it could not be told).
/// </summary>
public sealed record SignCandidate(NormalizedBox Box, TextReading Reading, string? Colour)
{
    public double CentreX => (Box.X0 + Box.X1) / 2;
    public double CentreY => (Box.Y0 + Box.Y1) / 2;
}

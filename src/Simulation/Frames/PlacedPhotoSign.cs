using CollabVlm.Imaging;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// A sign as it landed in a photograph: its text, the bounding box of its warped plate in frame
/// pixels, the cap height it has after the perspective warp (mean over its left and right edges)
/// and its plate colour's name.
/// </summary>
public sealed record PlacedPhotoSign(string Text, PixelRect Box, double TextHeightPx, string Colour);

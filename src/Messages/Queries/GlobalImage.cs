namespace CollabVlm.Messages;

/// <summary>
/// The downscaled JPEG of a frame that travels with the question, plus the original frame's size
/// so normalized boxes can be turned into original pixels on the edge.
/// </summary>
public sealed record GlobalImage(byte[] Jpeg, int Width, int Height, int Quality, int OriginalWidth, int OriginalHeight);

using CollabVlm.Imaging;

namespace CollabVlm.Simulation.Frames;

/// <summary>Another sign elsewhere in the frame, never overlapping the answer's sign, in a plate colour of a different name.</summary>
public sealed record DistractorSign(string Text, int TextHeightPx);

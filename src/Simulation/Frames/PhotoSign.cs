namespace CollabVlm.Simulation.Frames;

/// <summary>A sign to paste into a photograph: its text and the cap height it should have in the frame, pixels.</summary>
public sealed record PhotoSign(string Text, int TextHeightPx);

namespace CollabVlm.Bench.Demo;

/// <summary>One generated frame of the demo: its file bytes and the true answer.</summary>
public sealed record DemoFrame(int Index, byte[] Jpeg, int Width, int Height, string Text, int TextHeightPx);

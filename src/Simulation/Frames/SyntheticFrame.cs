using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// A rendered frame with its ground truth: the text and the pixel box of the sign plate holding
/// it, the plate's colour name (for questions such as "what does the red sign say?") and the boxes
/// of the distractor signs actually placed. Owns <paramref name="Bitmap"/> (RGBA8888,
/// unpremultiplied, like decoded frames).
/// </summary>
public sealed record SyntheticFrame(SKBitmap Bitmap, string Text, PixelRect TextBox, int TextHeightPx) : IDisposable
{
    public string PlateColour { get; init; } = "";

    public IReadOnlyList<PixelRect> DistractorBoxes { get; init; } = [];

    public void Dispose() => Bitmap.Dispose();
}

using SkiaSharp;

namespace CollabVlm.Imaging.Synthetic;

/// <summary>
/// A rendered frame with its ground truth: the text and the pixel box of the sign plate holding
/// it. Owns <paramref name="Bitmap"/> (RGBA8888, unpremultiplied, like decoded frames).
/// </summary>
public sealed record SyntheticFrame(SKBitmap Bitmap, string Text, PixelRect TextBox, int TextHeightPx) : IDisposable
{
    public void Dispose() => Bitmap.Dispose();
}

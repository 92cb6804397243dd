using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// One sign rendered flat on a transparent bitmap (premultiplied RGBA) and the name of its plate
/// colour, for questions such as "what does the red sign say?". Owns <paramref name="Bitmap"/>.
/// </summary>
public sealed record SignPlate(SKBitmap Bitmap, string ColourName) : IDisposable
{
    public void Dispose() => Bitmap.Dispose();
}

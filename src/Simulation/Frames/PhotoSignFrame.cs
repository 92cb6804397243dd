using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// A photograph with signs pasted in, and where each landed, in request order (the first is the
/// answer's). Signs that found no free room are left out, so <see cref="Signs"/> may be shorter than
/// the request's list, but never lacks the first. Owns <paramref name="Bitmap"/> (RGBA8888, unpremultiplied).
/// </summary>
public sealed record PhotoSignFrame(SKBitmap Bitmap, IReadOnlyList<PlacedPhotoSign> Signs) : IDisposable
{
    public void Dispose() => Bitmap.Dispose();
}

using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// What <see cref="PhotoSignRenderer"/> makes: the frame is <paramref name="Crop"/> of
/// <paramref name="Photo"/> at its own pixels (never rescaled), with <paramref name="Signs"/> pasted
/// in; the first sign is the one the question asks about. The caller owns the photo.
/// </summary>
public sealed record PhotoSignRequest(SKBitmap Photo, PixelRect Crop, IReadOnlyList<PhotoSign> Signs, int Seed);

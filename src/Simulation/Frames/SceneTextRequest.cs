using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// What to render. <paramref name="TextHeightPx"/> is the cap height (height of capitals and
/// digits) in pixels, the figure that decides whether a reader can resolve the text after
/// downscaling; it is not the font size. The optional parts (background kind, photo, distractor
/// signs) draw from a second random stream, so a request without them renders exactly the pixels
/// it rendered before they existed.
/// </summary>
public sealed record SceneTextRequest(int Width, int Height, string Text, int TextHeightPx, int Seed)
{
    public SceneBackground Background { get; init; } = SceneBackground.Gradient;

    /// <summary>The photo for <see cref="SceneBackground.Photo"/>; the caller owns it.</summary>
    public SKBitmap? Photo { get; init; }

    public IReadOnlyList<DistractorSign> Distractors { get; init; } = [];
}

namespace CollabVlm.Imaging.Synthetic;

/// <summary>
/// What to render. <paramref name="TextHeightPx"/> is the cap height (height of capitals and
/// digits) in pixels, the figure that decides whether a reader can resolve the text after
/// downscaling; it is not the font size.
/// </summary>
public sealed record SceneTextRequest(int Width, int Height, string Text, int TextHeightPx, int Seed);

namespace CollabVlm.Inference;

/// <summary>
/// Non-negative relevance over the global image, row-major, <paramref name="Width"/> ×
/// <paramref name="Height"/> cells; cell (x, y) covers the same fraction of the image as of the map.
/// For the reader this is the text detector's probability map; for a VLM, attention over image tokens.
/// </summary>
public sealed record RelevanceMap(int Width, int Height, float[] Values)
{
    public float this[int x, int y] => Values[y * Width + x];

    public static RelevanceMap Uniform(int width, int height) =>
        new(width, height, Enumerable.Repeat(1f, width * height).ToArray());
}

using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// The colour of a sign's plate, told from the pixels of its text line: the commonest colour name in
/// a band just inside the line box's top and bottom edges, between the letters and the box edge,
/// where the plate shows (in the box's core bold strokes can outnumber the plate's pixels, so a black
/// plate with white letters would pass for white). Also a coarse colour name per relevance-map cell, so
/// the map can be weighted towards a named colour where no line was found.
/// </summary>
public static class PlateColour
{
    private const int MaxSamplesPerSide = 24;

    /// <summary>The commonest colour name in the bands inside <paramref name="box"/>'s top and bottom edges; null for an empty box.</summary>
    public static string? Of(SKBitmap image, PixelRect box)
    {
        ArgumentNullException.ThrowIfNull(image);
        var x0 = Math.Clamp(box.X + box.Width / 20, 0, image.Width - 1);
        var x1 = Math.Clamp(box.Right - box.Width / 20, x0 + 1, image.Width);
        var band = Math.Max(1, box.Height / 6);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var stepX = Math.Max(1, (x1 - x0) / MaxSamplesPerSide);
        foreach (var top in new[] { box.Y + 1, box.Bottom - 1 - band })
            for (var y = Math.Max(0, top); y < Math.Min(image.Height, top + band); y++)
                for (var x = x0; x < x1; x += stepX)
                {
                    var c = image.GetPixel(x, y);
                    var name = ColourNames.Of(c.Red, c.Green, c.Blue);
                    counts[name] = counts.GetValueOrDefault(name) + 1;
                }
        return counts.Count == 0 ? null : counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
    }

    /// <summary>The image averaged down to <paramref name="width"/>×<paramref name="height"/> cells, one colour name each, row-major.</summary>
    public static IReadOnlyList<string> Grid(SKBitmap image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var small = ImageTensor.Resize(image, width, height);
        var names = new string[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var c = small.GetPixel(x, y);
                names[y * width + x] = ColourNames.Of(c.Red, c.Green, c.Blue);
            }
        return names;
    }
}

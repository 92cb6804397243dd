using CollabVlm.Imaging;

namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// Groups detected text lines into signs: lines of similar height stacked close above one another
/// and overlapping across, or side by side a word space apart, belong to one sign ("PLATFORM" over
/// "7", "NO" beside "PARKING"); anything else is another sign.
/// Each group is in reading order.
/// </summary>
public static class SignGrouping
{
    /// <param name="colours">Each line's plate colour, when known: lines on plates of different colours are different signs.</param>
    public static IReadOnlyList<IReadOnlyList<PixelRect>> Group(IReadOnlyList<PixelRect> lines, IReadOnlyList<string?>? colours = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (colours is not null && colours.Count != lines.Count)
            throw new ArgumentException($"{colours.Count} colours for {lines.Count} lines", nameof(colours));
        var parent = Enumerable.Range(0, lines.Count).ToArray();
        for (var i = 0; i < lines.Count; i++)
            for (var j = i + 1; j < lines.Count; j++)
                if (SameSign(lines[i], lines[j]) && (colours is null || colours[i] == colours[j])) parent[Find(i)] = Find(j);
        return Enumerable.Range(0, lines.Count).GroupBy(Find)
            .Select(g => ReadingOrder.Sort(g.Select(i => lines[i])))
            .OrderBy(g => g.Min(l => l.Y)).ThenBy(g => g.Min(l => l.X)).ToList();

        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
    }

    /// <summary>The widest gap, in line heights, between two boxes on one row that are still words of one line.</summary>
    public const double WordGap = 0.8;

    private static bool SameSign(PixelRect a, PixelRect b)
    {
        double ha = a.Height, hb = b.Height;
        if (Math.Max(ha, hb) > 1.3 * Math.Min(ha, hb)) return false;
        var overlapX = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        var overlapY = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        // Words of one line the detector split: same row, a word space apart. The detector's boxes are the text grown by
        // its unclip ratio, so a word space between boxes is well under one box height: 0.56 of it on a photographed
        // "LANE 893" (tune p0019), which a limit of half a height had split into two signs.
        if (overlapY > 0.5 * Math.Min(ha, hb)) return -overlapX < WordGap * Math.Min(ha, hb);
        if (overlapX <= 0.3 * Math.Min(a.Width, b.Width)) return false;
        var gapY = Math.Max(a.Y, b.Y) - Math.Min(a.Bottom, b.Bottom);
        return gapY < 0.6 * Math.Min(ha, hb);
    }
}

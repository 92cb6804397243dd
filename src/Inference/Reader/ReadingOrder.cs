using CollabVlm.Imaging;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// Sorts text lines top-to-bottom, then left-to-right within a row. Two lines share a row when
/// their vertical centres differ by less than half the smaller line's height.
/// </summary>
public static class ReadingOrder
{
    public static IReadOnlyList<PixelRect> Sort(IEnumerable<PixelRect> lines)
    {
        var rows = new List<List<PixelRect>>();
        foreach (var line in lines.OrderBy(CentreY))
        {
            var row = rows.LastOrDefault();
            if (row is not null && Math.Abs(CentreY(row[0]) - CentreY(line)) < 0.5 * Math.Min(row[0].Height, line.Height))
                row.Add(line);
            else
                rows.Add([line]);
        }
        return rows.SelectMany(r => r.OrderBy(l => l.X)).ToList();
    }

    private static double CentreY(PixelRect r) => r.Y + r.Height / 2.0;
}

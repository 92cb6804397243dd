using System.Globalization;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>Reads one sample out of a Prometheus text exposition (plain; the edge's /metrics page).</summary>
public static class PrometheusText
{
    /// <summary>
    /// The value of the first sample of <paramref name="metric"/> (any labels), or null when the page has none — a
    /// gauge that has not observed anything yet is simply absent.
    /// </summary>
    public static double? FirstValue(string page, string metric)
    {
        foreach (var raw in page.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal)) continue;
            var rest = line[metric.Length..];
            if (rest.IsEmpty || (rest[0] != '{' && rest[0] != ' ')) continue;  // another metric sharing the prefix
            if (rest[0] == '{')
            {
                var close = rest.LastIndexOf('}');
                if (close < 0) continue;
                rest = rest[(close + 1)..];
            }
            // After the labels: the value, then optionally a timestamp.
            var fields = rest.Trim().ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        }
        return null;
    }
}

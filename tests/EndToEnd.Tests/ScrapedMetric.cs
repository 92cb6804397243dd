using System.Globalization;
using System.Text.RegularExpressions;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>Reads one sample out of a Prometheus text scrape (a node's <c>/metrics</c>), for tests that watch a process.</summary>
public static class ScrapedMetric
{
    /// <summary>
    /// The value of the first sample of <paramref name="metric"/> whose labels include every one of
    /// <paramref name="labels"/> (name, value), or null when there is none.
    /// </summary>
    public static double? Value(string scrape, string metric, params (string Name, string Value)[] labels)
    {
        foreach (Match line in Regex.Matches(scrape, $@"^{Regex.Escape(metric)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)", RegexOptions.Multiline))
        {
            var text = line.Groups["labels"].Value;
            if (labels.All(l => text.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
                return double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return null;
    }
}

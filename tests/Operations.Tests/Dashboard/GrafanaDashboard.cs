using System.Text.Json;
using System.Text.RegularExpressions;
using CollabVlm.Operations.Tests.Support;

namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>The Grafana dashboard JSON of deploy/grafana, read as panels and their PromQL queries.</summary>
public sealed class GrafanaDashboard
{
    private static readonly Regex MetricName = new(@"\bcollabvlm_[a-z0-9_]+\b", RegexOptions.CultureInvariant);

    private GrafanaDashboard(IReadOnlyList<DashboardPanel> panels) => Panels = panels;

    public IReadOnlyList<DashboardPanel> Panels { get; }

    public static GrafanaDashboard Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.Dashboard));
        var panels = document.RootElement.GetProperty("panels").EnumerateArray().Select(p => new DashboardPanel(
            p.GetProperty("id").GetInt32(),
            p.GetProperty("title").GetString() ?? "",
            p.TryGetProperty("datasource", out var ds) && ds.TryGetProperty("uid", out var uid) ? uid.GetString() : null,
            p.TryGetProperty("targets", out var targets)
                ? targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString() ?? "").ToList()
                : [])).ToList();
        return new GrafanaDashboard(panels);
    }

    /// <summary>The collabvlm_* metric names a PromQL expression reads.</summary>
    public static IReadOnlySet<string> MetricsIn(string expression) =>
        MetricName.Matches(expression).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
}

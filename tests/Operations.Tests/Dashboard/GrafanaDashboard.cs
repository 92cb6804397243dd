using System.Text.Json;
using System.Text.RegularExpressions;
using CollabVlm.Operations.Tests.Support;

namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>The Grafana dashboard JSON of deploy/grafana, read as panels with their PromQL queries, and template variables.</summary>
public sealed class GrafanaDashboard
{
    private static readonly Regex MetricName = new(@"\bcollabvlm_[a-z0-9_]+\b", RegexOptions.CultureInvariant);

    private GrafanaDashboard(IReadOnlyList<DashboardPanel> panels, IReadOnlyList<DashboardVariable> variables) => (Panels, Variables) = (panels, variables);

    public IReadOnlyList<DashboardPanel> Panels { get; }

    public IReadOnlyList<DashboardVariable> Variables { get; }

    public static GrafanaDashboard Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.Dashboard));
        var root = document.RootElement;
        var panels = root.GetProperty("panels").EnumerateArray().Select(p =>
        {
            var targets = p.TryGetProperty("targets", out var t) ? t.EnumerateArray().ToList() : [];
            return new DashboardPanel(
                p.GetProperty("id").GetInt32(),
                p.GetProperty("title").GetString() ?? "",
                p.GetProperty("type").GetString() ?? "",
                DatasourceUid(p),
                targets.Select(DatasourceUid).ToList(),
                p.TryGetProperty("fieldConfig", out var fc) && fc.TryGetProperty("defaults", out var d) && d.TryGetProperty("unit", out var unit) ? unit.GetString() : null,
                targets.Select(target => target.GetProperty("expr").GetString() ?? "").ToList());
        }).ToList();
        var variables = root.TryGetProperty("templating", out var templating) && templating.TryGetProperty("list", out var list)
            ? list.EnumerateArray().Select(v => new DashboardVariable(
                v.GetProperty("name").GetString() ?? "",
                v.GetProperty("type").GetString() ?? "",
                v.TryGetProperty("query", out var q) ? q.ValueKind == JsonValueKind.Object ? q.GetProperty("query").GetString() : q.GetString() : null,
                DatasourceUid(v),
                v.TryGetProperty("current", out var c) && c.TryGetProperty("value", out var value) ? value.ValueKind == JsonValueKind.Array ? string.Join(",", value.EnumerateArray().Select(e => e.GetString())) : value.GetString() : null,
                v.TryGetProperty("includeAll", out var all) && all.GetBoolean(),
                v.TryGetProperty("allValue", out var allValue) ? allValue.GetString() : null)).ToList()
            : [];
        return new GrafanaDashboard(panels, variables);
    }

    public DashboardVariable Variable(string name) =>
        Variables.FirstOrDefault(v => v.Name == name) ?? throw new Xunit.Sdk.XunitException($"the dashboard has no template variable '{name}' (has: {string.Join(", ", Variables.Select(v => v.Name))})");

    /// <summary>The collabvlm_* metric names a PromQL expression reads.</summary>
    public static IReadOnlySet<string> MetricsIn(string expression) =>
        MetricName.Matches(expression).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Each collabvlm_* metric a PromQL expression reads, with the label matchers written after it ("" when none).</summary>
    public static IEnumerable<(string Metric, string Matchers)> SelectorsIn(string expression) =>
        Regex.Matches(expression, @"\b(collabvlm_[a-z0-9_]+)\b(\{[^}]*\})?", RegexOptions.CultureInvariant)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    /// <summary>
    /// A query as Prometheus receives it from Grafana: each template variable replaced by its value, and
    /// <c>$__rate_interval</c> by the window Grafana would compute (at least four scrape intervals).
    /// </summary>
    public static string Expand(string expression, IReadOnlyDictionary<string, string> variables, string rateInterval)
    {
        var expanded = expression.Replace("$__rate_interval", rateInterval, StringComparison.Ordinal);
        foreach (var (name, value) in variables) expanded = expanded.Replace("$" + name, value, StringComparison.Ordinal);
        return expanded;
    }

    private static string? DatasourceUid(JsonElement element) =>
        element.TryGetProperty("datasource", out var ds) && ds.ValueKind == JsonValueKind.Object && ds.TryGetProperty("uid", out var uid) ? uid.GetString() : null;
}

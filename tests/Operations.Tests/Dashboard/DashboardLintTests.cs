using System.Text.RegularExpressions;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.Operations.Tests.Metrics;
using CollabVlm.Operations.Tests.Support;

namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>
/// The dashboard against the code's metrics list and against what a Grafana under kube-prometheus-stack needs: the data
/// source and the scope (namespace, job, instance) chosen by template variables, windows from <c>$__rate_interval</c>,
/// one kind of value per panel in its unit; ids unique, every query's metric exported, every metric shown and documented.
/// </summary>
public sealed class DashboardLintTests
{
    /// <summary>The label matchers every selector carries, so the variables scope every panel.</summary>
    public static readonly string[] ScopeMatchers = ["job=~\"$job\"", "namespace=~\"$namespace\"", "instance=~\"$instance\""];

    private const string DatasourceReference = "${datasource}";

    private readonly GrafanaDashboard _dashboard = GrafanaDashboard.Load();
    private readonly MetricCatalog _catalog = MetricCatalog.FromCode();

    [Fact]
    public void The_data_source_is_a_variable_whose_default_is_the_usual_prometheus_name_and_every_panel_uses_it()
    {
        var datasource = _dashboard.Variable("datasource");
        Assert.Equal("datasource", datasource.Type);
        Assert.Equal("prometheus", datasource.Query);
        // kube-prometheus-stack names its data source "Prometheus"; so does this repository's own provisioning.
        Assert.Equal("Prometheus", datasource.Default);
        var provisioned = Yaml.List(Yaml.Load(Repository.DatasourceProvisioning), "datasources").Select(d => Yaml.Text(d, "name")).ToHashSet();
        Assert.Contains(datasource.Default, provisioned);

        var duplicates = _dashboard.Panels.GroupBy(p => p.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"duplicate panel ids: {string.Join(", ", duplicates)}");
        foreach (var panel in _dashboard.Panels)
        {
            Assert.True(panel.Queries.Count > 0 && panel.Queries.All(q => q.Length > 0), $"panel {panel.Id} '{panel.Title}' has no query");
            Assert.True(panel.DatasourceUid == DatasourceReference && panel.QueryDatasourceUids.All(u => u == DatasourceReference),
                $"panel {panel.Id} '{panel.Title}' must query {DatasourceReference} (panel: {panel.DatasourceUid}; queries: {string.Join(", ", panel.QueryDatasourceUids)}), not a fixed data source uid");
        }
    }

    [Fact]
    public void Namespace_job_and_instance_variables_scope_every_selector()
    {
        foreach (var name in new[] { "namespace", "job", "instance" })
        {
            var variable = _dashboard.Variable(name);
            Assert.Equal("query", variable.Type);
            Assert.Equal(DatasourceReference, variable.DatasourceUid);
            Assert.True(variable.IncludeAll && variable.AllValue == ".*",
                $"variable {name}: 'All' must be the regex .* (includeAll, allValue \".*\"), which also matches series without the label, e.g. outside Kubernetes");
            Assert.Matches($@"^label_values\((collabvlm_[a-z_]+)(\{{[^}}]*\}})?, {name}\)$", variable.Query ?? "");
            Assert.Contains(GrafanaDashboard.MetricsIn(variable.Query!).Single(), _catalog.SeriesNames);
        }
        foreach (var panel in _dashboard.Panels)
            foreach (var query in panel.Queries)
                foreach (var (metric, matchers) in GrafanaDashboard.SelectorsIn(query))
                    Assert.True(ScopeMatchers.All(m => matchers.Contains(m, StringComparison.Ordinal)),
                        $"panel {panel.Id} '{panel.Title}': {metric}{matchers} lacks the scope matchers {string.Join(", ", ScopeMatchers)}");
    }

    [Fact]
    public void Rates_use_the_rate_interval_never_a_fixed_window()
    {
        foreach (var panel in _dashboard.Panels)
            foreach (var query in panel.Queries)
            {
                Assert.DoesNotMatch(new Regex(@"\[\s*\d+[smhdwy]\s*\]"), query);
                foreach (Match range in Regex.Matches(query, @"\[([^\]]*)\]"))
                    Assert.True(range.Groups[1].Value == "$__rate_interval", $"panel {panel.Id} '{panel.Title}': range [{range.Groups[1].Value}] should be [$__rate_interval]");
            }
    }

    [Fact]
    public void Each_panel_shows_one_kind_of_value_in_its_unit()
    {
        foreach (var panel in _dashboard.Panels)
        {
            var kinds = panel.Queries.Select(Kind).Distinct().ToList();
            Assert.True(kinds.Count == 1, $"panel {panel.Id} '{panel.Title}' plots {string.Join(" and ", kinds)} on one axis: split it");
            if (panel.Type == "heatmap") continue;
            Assert.False(string.IsNullOrEmpty(panel.Unit), $"panel {panel.Id} '{panel.Title}' has no unit");
            string[] expected = kinds[0] switch
            {
                "s" => ["s", "ms"],
                "By" => ["bytes", "decbytes"],
                "By/s" => ["Bps", "binBps"],
                "1" => ["percentunit"],
                "ratio" => ["percentunit", "suffix:×", "none"],
                _ => ["short", "reqps", "none"],
            };
            Assert.True(expected.Contains(panel.Unit), $"panel {panel.Id} '{panel.Title}' shows values of unit {kinds[0]} as '{panel.Unit}' (expected one of {string.Join(", ", expected)})");
        }
    }

    [Fact]
    public void Every_query_reads_only_metrics_the_nodes_export()
    {
        foreach (var panel in _dashboard.Panels)
            foreach (var query in panel.Queries)
            {
                var metrics = GrafanaDashboard.MetricsIn(query);
                Assert.True(metrics.Count > 0, $"panel {panel.Id} '{panel.Title}': query reads no collabvlm_ metric: {query}");
                foreach (var metric in metrics)
                    Assert.True(_catalog.SeriesNames.Contains(metric),
                        $"panel {panel.Id} '{panel.Title}' reads {metric}, which no instrument of CollabVlmMetrics exports; exported: {string.Join(", ", _catalog.SeriesNames.Order())}");
            }
    }

    [Fact]
    public void Every_instrument_is_on_the_dashboard_and_in_the_readme_metrics_list()
    {
        var used = _dashboard.Panels.SelectMany(p => p.Queries).SelectMany(GrafanaDashboard.MetricsIn).ToHashSet();
        var readme = File.ReadAllText(Repository.Readme);
        foreach (var instrument in _catalog.Instruments)
        {
            Assert.True(instrument.SeriesNames.Any(used.Contains), $"{instrument.Name} ({instrument.PrometheusName}) appears on no dashboard panel");
            Assert.True(readme.Contains(instrument.Name, StringComparison.Ordinal) && readme.Contains(instrument.PrometheusName, StringComparison.Ordinal),
                $"{Repository.Readme} must list {instrument.Name} and its Prometheus name {instrument.PrometheusName}");
        }
    }

    [Fact]
    public void The_metrics_list_follows_the_naming_rules()
    {
        Assert.True(_catalog.Instruments.Count >= 10, $"expected the full instrument set, found {_catalog.Instruments.Count}");
        foreach (var instrument in _catalog.Instruments)
        {
            Assert.Matches("^collabvlm(\\.[a-z_]+)+$", instrument.Name);
            Assert.False(string.IsNullOrEmpty(instrument.Unit), $"{instrument.Name} has no unit");
        }
    }

    /// <summary>
    /// The kind of value a query returns: the unit of the first metric it reads, every count ("{query}", "{job}", …)
    /// being one kind, and "ratio" for a quotient of two metrics of the same unit.
    /// </summary>
    private string Kind(string query)
    {
        var units = GrafanaDashboard.SelectorsIn(query).Select(s => Unit(s.Metric)).ToList();
        return query.Contains(" / ", StringComparison.Ordinal) && units.Distinct().Count() == 1 ? "ratio" : units[0];
    }

    private string Unit(string series)
    {
        var unit = _catalog.Instruments.Single(i => i.SeriesNames.Contains(series)).Unit ?? "";
        return unit.StartsWith('{') ? "count" : unit;
    }
}

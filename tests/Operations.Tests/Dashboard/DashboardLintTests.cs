using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.Operations.Tests.Metrics;
using CollabVlm.Operations.Tests.Support;

namespace CollabVlm.Operations.Tests.Dashboard;

/// <summary>The dashboard against the code's metrics list: ids unique, every query's metric exported, every metric shown and documented.</summary>
public sealed class DashboardLintTests
{
    private readonly GrafanaDashboard _dashboard = GrafanaDashboard.Load();
    private readonly MetricCatalog _catalog = MetricCatalog.FromCode();

    [Fact]
    public void Panel_ids_are_unique_and_every_panel_queries_the_provisioned_datasource()
    {
        var duplicates = _dashboard.Panels.GroupBy(p => p.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"duplicate panel ids: {string.Join(", ", duplicates)}");
        var provisioned = Yaml.List(Yaml.Load(Repository.DatasourceProvisioning), "datasources").Select(d => Yaml.Text(d, "uid")).ToHashSet();
        foreach (var panel in _dashboard.Panels)
        {
            Assert.True(panel.Queries.Count > 0 && panel.Queries.All(q => q.Length > 0), $"panel {panel.Id} '{panel.Title}' has no query");
            Assert.True(provisioned.Contains(panel.DatasourceUid), $"panel {panel.Id} '{panel.Title}' uses datasource uid '{panel.DatasourceUid}', which provisioning does not define");
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
}

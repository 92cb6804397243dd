using System.Globalization;
using CollabVlm.EndToEnd.Tests;
using CollabVlm.NodeDefaults;
using CollabVlm.Operations.Tests.Dashboard;
using CollabVlm.Operations.Tests.Metrics;
using Xunit.Abstractions;

namespace CollabVlm.Operations.Tests.Prometheus;

/// <summary>
/// A real Prometheus scrapes a loopback cluster under load — a <c>collabvlm-server</c> process with the real model
/// and a <c>collabvlm-edge serve</c> process whose simulated cameras ask about generated frames — and every
/// dashboard panel's query must return data through Prometheus' HTTP API. (Panels showing counts of rare events,
/// such as failures by reason, return the zero series the server creates at start.)
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class PrometheusDashboardTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan PanelTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What <c>$__rate_interval</c> becomes here. Grafana picks it from the time range and the scrape interval (at least
    /// four scrapes); a window covering the whole load makes every rare series (retransmitted local images) count.
    /// </summary>
    private const string RateInterval = "2m";

    [Fact]
    public async Task Every_dashboard_panel_returns_data_from_a_real_prometheus_scraping_a_loaded_cluster()
    {
        PrometheusServer.LocateBinary(); // fail first, and clearly, when Prometheus is not installed
        var serverHttp = FreePort.Next();
        var edgeHttp = FreePort.Next();
        await using var server = await ServerNode.StartAsync(["--http-port", Text(serverHttp)]);
        await using var edge = ChildProcess.Start(Executables.Edge,
            ["serve", "--seed", server.Address, "--hostname", "127.0.0.1", "--port", "0", "--http-port", Text(edgeHttp), "--devices", "2", "--ask-every", "00:00:00.500"],
            new Dictionary<string, string>
            {
                // Small frames keep the load cheap; text of 10–28 px gives both sure global answers and retransmissions.
                ["COLLABVLM_Simulation__FrameWidth"] = "1600",
                ["COLLABVLM_Simulation__FrameHeight"] = "1200",
                ["COLLABVLM_Simulation__MinTextPixels"] = "10",
                ["COLLABVLM_Simulation__MaxTextPixels"] = "28",
            });
        await using var prometheus = await PrometheusServer.StartAsync(
            new Dictionary<string, int> { ["collabvlm-server"] = serverHttp, ["collabvlm-edge"] = edgeHttp }, TimeSpan.FromSeconds(60));

        string Describe() => $"\n{server.Process.Describe()}\n{edge.Describe()}\nPrometheus log:\n{prometheus.Log}";

        // Load: both targets scraped, sure global answers and at least one local image received (it fills the
        // local-image and RoI-stage series, so every panel shows both kinds of query).
        await prometheus.WaitUntilAsync(async () =>
            (await prometheus.TargetsAsync()) is { Count: 2 } targets && targets.All(t => t.Health == "up")
            && await Sum(prometheus, "collabvlm_queries_answered_total{stage=\"global\"}") >= 2
            && await Sum(prometheus, "collabvlm_query_upload_size_bytes_count{image=\"local\"}") >= 3,
            "scraped answers from the global image and from a retransmitted local image", LoadTimeout);

        // The variables as a user first sees them: "All" everywhere (outside Kubernetes there is no namespace label, which
        // "All" = .* still matches). Their own queries must list what is there: both jobs and both instances.
        var dashboard = GrafanaDashboard.Load();
        var all = dashboard.Variables.Where(v => v.Type == "query").ToDictionary(v => v.Name, v => v.AllValue ?? ".*");
        var listed = new Dictionary<string, IReadOnlySet<string>>();
        foreach (var variable in dashboard.Variables.Where(v => v.Type == "query"))
        {
            var call = System.Text.RegularExpressions.Regex.Match(variable.Query!, @"^label_values\((.+), ([a-z_]+)\)$");
            listed[variable.Name] = await prometheus.LabelValuesAsync(call.Groups[2].Value, GrafanaDashboard.Expand(call.Groups[1].Value, all, RateInterval));
        }
        Assert.True(listed["job"].SetEquals(["collabvlm-server", "collabvlm-edge"]), $"the job variable lists [{string.Join(", ", listed["job"])}]");
        Assert.True(listed["instance"].Count == 2, $"the instance variable lists [{string.Join(", ", listed["instance"])}]");

        var results = new Dictionary<(int Panel, string Query), int>();
        await prometheus.WaitUntilAsync(async () =>
        {
            foreach (var panel in dashboard.Panels)
                foreach (var query in panel.Queries)
                    results[(panel.Id, query)] = (await prometheus.QueryAsync(GrafanaDashboard.Expand(query, all, RateInterval))).Count(s => double.IsFinite(s.Value));
            return results.All(r => r.Value >= ExpectedSeries(r.Key.Query));
        }, "data for every panel query", PanelTimeout).ContinueWith(t =>
        {
            foreach (var panel in dashboard.Panels)
                foreach (var query in panel.Queries)
                    output.WriteLine($"panel {panel.Id,2} {panel.Title}: {results.GetValueOrDefault((panel.Id, query))} series (≥ {ExpectedSeries(query)} expected)  ← {query}");
            if (t.Exception is { } e) throw new Xunit.Sdk.XunitException($"{e.GetBaseException().Message}{Describe()}");
        });

        // Scoped to one job, a server-only panel keeps its data and an edge-only one has none: the matchers really scope.
        var serverOnly = new Dictionary<string, string>(all) { ["job"] = "collabvlm-server" };
        var inFlight = dashboard.Panels.SelectMany(p => p.Queries).First(q => q.Contains("collabvlm_coordinators_active", StringComparison.Ordinal));
        var links = dashboard.Panels.SelectMany(p => p.Queries).First(q => q.Contains("collabvlm_edge_link_rtt_seconds", StringComparison.Ordinal));
        Assert.NotEmpty(await prometheus.QueryAsync(GrafanaDashboard.Expand(inFlight, serverOnly, RateInterval)));
        Assert.Empty(await prometheus.QueryAsync(GrafanaDashboard.Expand(links, serverOnly, RateInterval)));

        // The exporter's names are the ones the dashboard lint derives from the code.
        var stored = await prometheus.MetricNamesAsync();
        foreach (var instrument in MetricCatalog.FromCode().Instruments)
            Assert.True(instrument.SeriesNames.All(stored.Contains),
                $"{instrument.Name}: expected series {string.Join(", ", instrument.SeriesNames)}; Prometheus has {string.Join(", ", stored.Where(n => n.StartsWith("collabvlm", StringComparison.Ordinal)).Order())}");

        Assert.True(await Sum(prometheus, "collabvlm_cluster_members{job=\"collabvlm-server\",role=\"edge\",status=\"up\"}") >= 1, $"the server should see the edge Up.{Describe()}");
        Assert.True(await Sum(prometheus, "collabvlm_edge_link_throughput_bytes_per_second{job=\"collabvlm-edge\"}") > 0, "the edge should report its devices' link estimates");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var port in new[] { serverHttp, edgeHttp })
            foreach (var path in new[] { NodeDefaults.HttpSettings.LivenessPath, NodeDefaults.HttpSettings.ReadinessPath })
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
                Assert.True(response.IsSuccessStatusCode, $"{path} on port {port} should be healthy under load, got {(int)response.StatusCode}.{Describe()}");
            }
    }

    /// <summary>
    /// Series a query must return: one, except where the load guarantees more — both images per image-split query,
    /// and per stage at least global inference, RoI to first chunk, local transfer and end to end.
    /// </summary>
    private static int ExpectedSeries(string query) =>
        query.Contains("by (le, image)", StringComparison.Ordinal) || query.StartsWith("sum by (image)", StringComparison.Ordinal) ? 2
        : query.Contains("by (le, stage)", StringComparison.Ordinal) ? 4
        : 1;

    private static async Task<double> Sum(PrometheusServer prometheus, string selector) =>
        (await prometheus.QueryAsync($"sum({selector})")).Sum(s => double.IsFinite(s.Value) ? s.Value : 0);

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Net;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using CollabVlm.EndToEnd.Tests;
using CollabVlm.NodeDefaults;
using CollabVlm.NodeDefaults.Bootstrap;
using CollabVlm.Operations.Tests.Prometheus;
using CollabVlm.Operations.Tests.Support;
using Newtonsoft.Json;

namespace CollabVlm.Operations.Tests.Bootstrap;

/// <summary>
/// <c>Cluster:Discovery=KubernetesApi</c> with real node processes: two servers and an edge find each other through
/// the (faked) Kubernetes API by label, probe each other's contact points and form one cluster without seed addresses.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class KubernetesBootstrapTests
{
    private const string Selector = "app.kubernetes.io/part-of=collabvlm";

    // Bootstrap waits for a stable pod list (5 s) and probes every 5 s; loading the model and joining take the rest.
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Two_servers_form_one_cluster_from_the_pod_list_and_an_edge_started_later_joins_it()
    {
        await using var api = await StartApiAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var first = new Pod("collabvlm-server-a");
        var second = new Pod("collabvlm-server-b");
        var edge = new Pod("collabvlm-edge-a");
        // The lowest contact point (host, then port) forms the cluster when none exists: Akka.Management's LowestAddressJoinDecider.
        var (lowest, other) = first.Management < second.Management ? (first, second) : (second, first);

        api.AddPod(first.Name, first.Management);
        api.AddPod(second.Name, second.Management);
        await using var serverA = ServerNode.Launch(first.Remoting, ["--http-port", first.HttpText], api.NodeEnvironment(first.Management));
        await using var serverB = ServerNode.Launch(second.Remoting, ["--http-port", second.HttpText], api.NodeEnvironment(second.Management));
        var lowestProcess = lowest == first ? serverA : serverB;
        var otherProcess = lowest == first ? serverB : serverA;
        foreach (var (pod, process) in new[] { (first, serverA), (second, serverB) })
            Assert.True(await HttpPoll.UntilStatusAsync(client, pod.Url(HttpSettings.ReadinessPath), HttpStatusCode.OK, FormTimeout),
                $"{pod.Name} should turn ready (joined + model loaded) through bootstrap.\nAPI requests:\n{string.Join('\n', api.Requests)}\n{process.Describe()}");

        Assert.Contains("Initiating new cluster, self-joining", lowestProcess.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Initiating new cluster, self-joining", otherProcess.Output, StringComparison.Ordinal);

        // A pod that appears later joins the existing cluster through the contact points instead of forming its own.
        api.AddPod(edge.Name, edge.Management);
        await using var edgeNode = ChildProcess.Start(Executables.Edge,
            ["serve", "--devices", "1", "--hostname", "127.0.0.1", "--http-port", edge.HttpText], api.NodeEnvironment(edge.Management));
        Assert.True(await HttpPoll.UntilStatusAsync(client, edge.Url(HttpSettings.ReadinessPath), HttpStatusCode.OK, FormTimeout),
            $"the edge should turn ready (joined) through bootstrap.\nAPI requests:\n{string.Join('\n', api.Requests)}\n{edgeNode.Describe()}");

        // One cluster: every node sees both servers and the edge Up.
        foreach (var pod in new[] { first, second, edge })
            Assert.True(await HttpPoll.UntilAsync(client, pod.Url(HttpSettings.MetricsPath), (status, body) =>
                    status == HttpStatusCode.OK && Members(body, "server") == 2 && Members(body, "edge") == 1, TimeSpan.FromSeconds(30)),
                $"{pod.Name} should see 2 servers and 1 edge Up in its collabvlm_cluster_members");

        // The contact point speaks Akka.Management's own protocol (its type, read with Json.NET as its probing client does),
        // and only on the management port.
        using (var response = await client.GetAsync($"http://127.0.0.1:{lowest.Management}{BootstrapContactPoint.SeedNodesPath}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var seeds = JsonConvert.DeserializeObject<HttpBootstrapJsonProtocol.SeedNodes>(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(lowest.Remoting, seeds.SelfNode.Port);
            Assert.Equal(3, seeds.Nodes.Count);
        }
        using (var onMetricsPort = await client.GetAsync(lowest.Url(BootstrapContactPoint.SeedNodesPath)))
            Assert.Equal(HttpStatusCode.NotFound, onMetricsPort.StatusCode);

        // Every node listed pods by the configured selector with the service-account token; Akka.Management's own HTTP server never ran.
        var listings = api.Requests.Where(r => r.Contains("/pods?", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(listings);
        Assert.All(listings, r => Assert.StartsWith($"GET /api/v1/namespaces/{FakeKubernetesApi.Namespace}/pods?", r, StringComparison.Ordinal));
        Assert.All(listings, r => Assert.Contains($"labelSelector={Uri.EscapeDataString(Selector)}", r, StringComparison.Ordinal));
        Assert.All(listings, r => Assert.EndsWith("auth=ok", r, StringComparison.Ordinal));
        foreach (var process in new[] { serverA, serverB, edgeNode })
            Assert.DoesNotContain("Akka Management HTTP", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_the_Kubernetes_API_refuses_stays_live_but_unready_and_logs_that_RBAC_refused_it()
    {
        await using var api = await StartApiAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var edge = new Pod("collabvlm-edge-a");
        api.AddPod(edge.Name, edge.Management);
        await using var edgeNode = ChildProcess.Start(Executables.Edge,
            ["serve", "--devices", "1", "--hostname", "127.0.0.1", "--http-port", edge.HttpText], api.NodeEnvironment(edge.Management, token: "not-the-service-account-token"));
        Assert.True(await HttpPoll.UntilStatusAsync(client, edge.Url(HttpSettings.LivenessPath), HttpStatusCode.OK, TimeSpan.FromSeconds(60)),
            $"liveness should turn 200 once the ActorSystem runs.\n{edgeNode.Describe()}");
        await edgeNode.WaitForOutputAsync(o => o.Contains("Forbidden", StringComparison.Ordinal) && o.Contains("RBAC", StringComparison.Ordinal),
            "a warning that the Kubernetes API refused the pod listing (check RBAC)", TimeSpan.FromSeconds(60));
        Assert.Contains(api.Requests, r => r.EndsWith("auth=refused", StringComparison.Ordinal));
        using var ready = await client.GetAsync(edge.Url(HttpSettings.ReadinessPath));
        Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, $"a node that found no peers must not be ready, got {(int)ready.StatusCode}.\n{edgeNode.Describe()}");
        Assert.False(edgeNode.HasExited, $"the node keeps retrying discovery rather than exiting.\n{edgeNode.Describe()}");
    }

    private static Task<FakeKubernetesApi> StartApiAsync() =>
        FakeKubernetesApi.StartAsync(Path.Combine(Path.GetTempPath(), "collabvlm-bootstrap-" + Guid.NewGuid().ToString("N")), Selector);

    /// <summary>Value of <c>collabvlm_cluster_members{role=…,status="up"}</c> in a scrape, or -1 when absent.</summary>
    private static double Members(string scrape, string role) => ScrapedMetric.Value(scrape, "collabvlm_cluster_members", ("role", role), ("status", "up")) ?? -1;

    /// <summary>One simulated pod: its own remoting, metrics and management ports on loopback.</summary>
    private sealed record Pod(string Name)
    {
        public int Remoting { get; } = FreePort.Next();
        public int Http { get; } = FreePort.Next();
        public int Management { get; } = FreePort.Next();
        public string HttpText => Http.ToString(CultureInfo.InvariantCulture);
        public string Url(string path) => $"http://127.0.0.1:{Http}{path}";
    }
}

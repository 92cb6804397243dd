using System.Globalization;
using System.Text.RegularExpressions;
using CollabVlm.NodeDefaults;
using CollabVlm.Operations.Tests.Metrics;
using CollabVlm.Operations.Tests.Support;

namespace CollabVlm.Operations.Tests.Manifests;

/// <summary>
/// What an operator's cluster needs of the rendered manifests: a drain can always evict a server, a pod gets longer
/// to stop than the node takes to shut down, containers run locked down as the user the images run as, and
/// kube-prometheus-stack scrapes every pod with the labels the autoscaling rule maps.
/// </summary>
public sealed class DrainAndSecurityTests
{
    public static TheoryData<string> Kustomizations => new(Repository.Kustomizations);

    /// <summary>Seconds between SIGTERM and SIGKILL beyond the host's own shutdown timeout, for the runtime to exit.</summary>
    private const int ShutdownMarginSeconds = 15;

    /// <summary>
    /// The target labels the Prometheus Operator gives every PodMonitor target (its documented relabelling), besides
    /// the Prometheus defaults job and instance.
    /// </summary>
    private static readonly string[] PodMonitorTargetLabels = ["namespace", "pod", "container", "endpoint", "job", "instance"];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void The_disruption_budget_lets_a_drain_evict_one_server(string kustomization)
    {
        var manifests = RenderedManifests.Render(kustomization);
        var pdb = manifests.OfKind("PodDisruptionBudget").Single();
        var server = new NodeDeployment(manifests, "collabvlm-server");
        var hpa = manifests.OfKind("HorizontalPodAutoscaler").SingleOrDefault();
        // The fewest servers that may run: the HPA's floor when one scales the Deployment, else its replicas.
        var fewest = Number(hpa is null ? Yaml.Text(server.Resource, "spec.replicas") : Yaml.Text(hpa, "spec.minReplicas"), "replicas");
        var allowed = Yaml.Text(pdb, "spec.maxUnavailable") is { } maxUnavailable
            ? Number(maxUnavailable, "maxUnavailable")
            : fewest - Number(Yaml.Text(pdb, "spec.minAvailable"), "minAvailable");
        Assert.True(allowed >= 1, $"{kustomization}: with {fewest} server(s) the PodDisruptionBudget allows {allowed} disruptions; a node drain would block");
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Pods_get_longer_to_stop_than_the_node_takes_to_shut_down(string kustomization)
    {
        foreach (var node in Nodes(kustomization))
        {
            var grace = Number(Yaml.Text(node.Resource, "spec.template.spec.terminationGracePeriodSeconds"), "terminationGracePeriodSeconds");
            Assert.True(grace >= NodeHostBuilder.ShutdownTimeout.TotalSeconds + ShutdownMarginSeconds,
                $"{node.Where}: terminationGracePeriodSeconds {grace} must exceed the host's shutdown timeout ({NodeHostBuilder.ShutdownTimeout.TotalSeconds:0} s) by at least {ShutdownMarginSeconds} s, or Kubernetes kills the node mid-shutdown");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Containers_run_non_root_read_only_without_privileges_as_the_images_user(string kustomization)
    {
        var imageUsers = Repository.Dockerfiles.Select(FinalUser).ToHashSet();
        foreach (var node in Nodes(kustomization))
        {
            var pod = Yaml.At(node.Resource, "spec.template.spec.securityContext");
            Assert.True(Yaml.At(pod, "runAsNonRoot") is "true", $"{node.Where}: pod securityContext.runAsNonRoot must be true");
            var user = Yaml.Text(pod, "runAsUser");
            Assert.True(user is not null && user != "0" && imageUsers.Count == 1 && imageUsers.Contains(user),
                $"{node.Where}: runAsUser {user ?? "(unset)"} must be the non-root user every image runs as ({string.Join(", ", imageUsers)})");
            Assert.True(Yaml.Text(pod, "seccompProfile.type") == "RuntimeDefault", $"{node.Where}: seccompProfile RuntimeDefault expected");

            var container = Yaml.At(node.Container, "securityContext");
            Assert.True(Yaml.At(container, "allowPrivilegeEscalation") is "false", $"{node.Where}: allowPrivilegeEscalation must be false");
            Assert.True(Yaml.At(container, "readOnlyRootFilesystem") is "true", $"{node.Where}: readOnlyRootFilesystem must be true");
            Assert.True(Yaml.At(container, "privileged") is null or "false", $"{node.Where}: must not be privileged");
            Assert.Contains("ALL", Yaml.List(container, "capabilities.drop").Select(c => c.ToString()));
            Assert.Empty(Yaml.List(container, "capabilities.add"));
            // Read-only root: temporary files need a writable mount.
            Assert.Contains(Yaml.List(node.Container, "volumeMounts"), m => Yaml.Text(m, "mountPath") == "/tmp");
            // Without capabilities a process cannot bind below 1024.
            foreach (var port in Yaml.List(node.Container, "ports"))
                Assert.True(Number(Yaml.Text(port, "containerPort"), "containerPort") >= 1024, $"{node.Where}: port {Yaml.Text(port, "name")} below 1024 needs a capability");
        }
    }

    [Fact]
    public void Every_image_ends_as_a_numeric_non_root_user()
    {
        Assert.NotEmpty(Repository.Dockerfiles);
        foreach (var dockerfile in Repository.Dockerfiles)
        {
            var user = FinalUser(dockerfile);
            Assert.True(int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid > 0,
                $"{Path.GetFileName(dockerfile)}: the final stage must end with USER <numeric non-root uid> (got '{user}'); Kubernetes can only verify runAsNonRoot against a numeric user");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void A_pod_monitor_scrapes_every_node_where_it_serves_metrics(string kustomization)
    {
        var manifests = RenderedManifests.Render(kustomization);
        var monitor = manifests.OfKind("PodMonitor").Single();
        Assert.Equal("monitoring.coreos.com/v1", Yaml.Text(monitor, "apiVersion"));
        Assert.True(Yaml.StringMap(monitor, "metadata.labels").ContainsKey("release"), $"{kustomization}: kube-prometheus-stack selects PodMonitors by the release label");
        var selector = Yaml.StringMap(monitor, "spec.selector.matchLabels");
        var endpoint = Yaml.List(monitor, "spec.podMetricsEndpoints").Single();
        foreach (var node in Nodes(kustomization))
        {
            Assert.True(selector.Count > 0 && selector.All(kv => node.PodLabels.GetValueOrDefault(kv.Key) == kv.Value), $"{node.Where}: the PodMonitor's selector misses these pods");
            Assert.True(node.HasPort(Yaml.Text(endpoint, "port")!), $"{node.Where}: the PodMonitor scrapes port '{Yaml.Text(endpoint, "port")}', which the container does not name");
            Assert.Equal(HttpSettings.MetricsPath, Yaml.Text(endpoint, "path"));
        }
        Assert.Empty(Yaml.List(endpoint, "relabelings")); // the adapter rule and the dashboard need the operator's labels as they are
    }

    [Fact]
    public void The_adapter_rule_reads_an_exported_metric_by_labels_a_pod_monitor_target_has()
    {
        var rule = Yaml.List(Yaml.Load(Repository.AdapterRules), "rules.custom").Single();
        var query = Yaml.Text(rule, "seriesQuery")!;
        var metric = Regex.Match(query, "^[a-z_:][a-z0-9_:]*").Value;
        Assert.Contains(metric, MetricCatalog.FromCode().SeriesNames);
        var labels = Regex.Matches(query, @"([a-z_]+)\s*(=|!=|=~|!~)").Select(m => m.Groups[1].Value).ToList();
        var mapped = (Yaml.At(rule, "resources.overrides") as Dictionary<object, object>)?.Keys.Select(k => k.ToString()!).ToList() ?? [];
        Assert.Contains("namespace", mapped);
        Assert.Contains("pod", mapped);
        foreach (var label in labels.Concat(mapped))
            Assert.True(PodMonitorTargetLabels.Contains(label), $"the adapter rule relies on label '{label}', which a PodMonitor target does not carry ({string.Join(", ", PodMonitorTargetLabels)})");
    }

    private static IEnumerable<NodeDeployment> Nodes(string kustomization)
    {
        var manifests = RenderedManifests.Render(kustomization);
        return [new NodeDeployment(manifests, "collabvlm-server"), new NodeDeployment(manifests, "collabvlm-edge")];
    }

    /// <summary>The argument of the last USER instruction (the final stage's), or "" when there is none.</summary>
    private static string FinalUser(string dockerfile) =>
        File.ReadLines(dockerfile).Select(l => l.Trim()).Where(l => l.StartsWith("USER ", StringComparison.Ordinal)).Select(l => l[5..].Trim()).LastOrDefault() ?? "";

    private static int Number(string? text, string what) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new Xunit.Sdk.XunitException($"{what} '{text}' is not a number");
}

using System.Text.RegularExpressions;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Inference.Reader;
using CollabVlm.NodeDefaults;
using CollabVlm.NodeDefaults.Bootstrap;
using CollabVlm.Operations.Tests.Dashboard;
using CollabVlm.Operations.Tests.Metrics;
using CollabVlm.Operations.Tests.Support;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;

namespace CollabVlm.Operations.Tests.Manifests;

/// <summary>
/// The rendered manifests against the application's own configuration classes: every variable binds to a real
/// setting (with the application's binder, unknown keys refused), ports, probe paths, scrape annotations and
/// labels agree with what the nodes will do, so manifests and code cannot drift apart silently.
/// </summary>
public sealed class ManifestConsistencyTests
{
    public static TheoryData<string> Kustomizations => new(Repository.Kustomizations);

    private static readonly Regex VariableName = new(@"^COLLABVLM_[A-Za-z]+__[A-Za-z]+(__[0-9]+)?$", RegexOptions.CultureInvariant);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_variable_binds_to_a_setting_of_the_node_and_passes_its_validation(string kustomization)
    {
        var manifests = RenderedManifests.Render(kustomization);
        foreach (var node in Nodes(manifests))
        {
            foreach (var name in node.Environment.Keys)
                Assert.True(VariableName.IsMatch(name), $"{node.Where}: variable {name} does not follow COLLABVLM_<Section>__<Key>");
            // The application's own checks: unknown sections and keys are errors, values are validated.
            NodeConfiguration.CheckSections(node.Configuration);
            NodeConfiguration.Bind<ClusterNodeOptions>(node.Configuration, "Cluster", c => c.Validate());
            NodeConfiguration.Bind<HttpSettings>(node.Configuration, "Http", h => h.Validate());
            if (node.Name == ServerName)
            {
                NodeConfiguration.Bind<ServerSettings>(node.Configuration, "Server", s => s.Validate());
                if (string.Equals(node.Configuration["Model:Backend"], "openai", StringComparison.OrdinalIgnoreCase))
                    NodeConfiguration.Bind<Inference.Served.ServedVlmOptions>(NodeConfiguration.SectionWithout(node.Configuration, "Model", "Backend"), "Model", m => m.Validate());
                else
                    NodeConfiguration.Bind<ReaderOptions>(node.Configuration, "Model");
                Assert.True(node.Configuration.GetSection("Edge").GetChildren().Any() is false, $"{node.Where}: Edge settings on a server do nothing");
            }
            else
            {
                NodeConfiguration.Bind<EdgeSettings>(node.Configuration, "Edge", s => s.Validate());
                var simulation = NodeConfiguration.Bind<SimulationSettings>(node.Configuration, "Simulation", s => s.Validate());
                Assert.True(simulation.Enabled, $"{node.Where}: the edge Deployment simulates cameras, so Simulation:AskInterval must be > 0");
                Assert.True(node.Configuration.GetSection("Server").GetChildren().Any() is false, $"{node.Where}: Server settings on an edge do nothing");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Ports_probes_and_scrape_annotations_match_the_nodes_settings(string kustomization)
    {
        var manifests = RenderedManifests.Render(kustomization);
        foreach (var node in Nodes(manifests))
        {
            // Bound and validated as the node binds them at start (appsettings.json, then the environment).
            var cluster = NodeConfiguration.Bind<ClusterNodeOptions>(node.Configuration, "Cluster", c => c.Validate());
            var http = NodeConfiguration.Bind<HttpSettings>(node.Configuration, "Http", h => h.Validate());
            Assert.True(cluster.Discovery == ClusterDiscovery.KubernetesApi && cluster.SeedsToJoin.Count == 0,
                $"{node.Where}: pods form the cluster by Kubernetes API bootstrap, not fixed seeds (got {cluster.Discovery}, {cluster.SeedsToJoin.Count} seeds to join)");
            Assert.True(node.Port("remoting") == cluster.Port, $"{node.Where}: port 'remoting' {node.Port("remoting")} ≠ Cluster:Port {cluster.Port}");
            Assert.True(node.Port(KubernetesBootstrap.PortName) == cluster.ManagementPort, $"{node.Where}: port '{KubernetesBootstrap.PortName}' {node.Port(KubernetesBootstrap.PortName)} ≠ Cluster:ManagementPort {cluster.ManagementPort}");
            Assert.True(node.Port("http") == http.Port, $"{node.Where}: port 'http' {node.Port("http")} ≠ Http:Port {http.Port}");
            Assert.True(http.Hostname == "0.0.0.0" && cluster.Hostname == "0.0.0.0",
                $"{node.Where}: in a pod both listeners must bind 0.0.0.0 (Http:Hostname {http.Hostname}, Cluster:Hostname {cluster.Hostname})");
            Assert.True(cluster.PublicHostname == NodeDeployment.PodIpPlaceholder, $"{node.Where}: Cluster:PublicHostname must come from the pod IP");

            foreach (var (probe, path) in new[] { ("startupProbe", HttpSettings.LivenessPath), ("livenessProbe", HttpSettings.LivenessPath), ("readinessProbe", HttpSettings.ReadinessPath) })
            {
                Assert.True(Yaml.Text(node.Container, $"{probe}.httpGet.path") == path, $"{node.Where}: {probe} path {Yaml.Text(node.Container, $"{probe}.httpGet.path")} ≠ {path}");
                var probedPort = Yaml.Text(node.Container, $"{probe}.httpGet.port");
                Assert.True(probedPort == "http" || probedPort == http.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{node.Where}: {probe} must probe the http port (got {probedPort})");
            }

            var annotations = node.PodAnnotations;
            Assert.True(annotations.GetValueOrDefault("prometheus.io/scrape") == "true", $"{node.Where}: pods must be annotated prometheus.io/scrape=true");
            Assert.True(annotations.GetValueOrDefault("prometheus.io/port") == http.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{node.Where}: prometheus.io/port {annotations.GetValueOrDefault("prometheus.io/port")} ≠ Http:Port {http.Port}");
            Assert.True(annotations.GetValueOrDefault("prometheus.io/path") == HttpSettings.MetricsPath, $"{node.Where}: prometheus.io/path ≠ {HttpSettings.MetricsPath}");
            Assert.True(Yaml.At(node.Container, "resources.requests") is not null && Yaml.At(node.Container, "resources.limits") is not null, $"{node.Where}: requests and limits are required");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Labels_selectors_and_rbac_let_bootstrap_find_every_pod_and_target_the_right_role(string kustomization)
    {
        var manifests = RenderedManifests.Render(kustomization);
        var server = new NodeDeployment(manifests, ServerName);
        var edge = new NodeDeployment(manifests, EdgeName);
        foreach (var node in new[] { server, edge })
        {
            var cluster = NodeConfiguration.Bind<ClusterNodeOptions>(node.Configuration, "Cluster");
            var selector = string.Format(System.Globalization.CultureInfo.InvariantCulture, cluster.PodLabelSelector, cluster.ServiceName);
            foreach (var term in selector.Split(','))
            {
                var (key, value) = (term.Split('=')[0], term.Split('=')[1]);
                Assert.True(node.PodLabels.GetValueOrDefault(key) == value, $"{node.Where}: bootstrap selects pods by '{selector}', but the pod labels are [{string.Join(", ", node.PodLabels)}]");
            }
            Assert.True(IsSubset(Yaml.StringMap(node.Resource, "spec.selector.matchLabels"), node.PodLabels), $"{node.Where}: selector does not match its own pods");
            Assert.True(Yaml.Text(node.Resource, "spec.template.spec.serviceAccountName") is { } account
                && Yaml.List(manifests.Named("RoleBinding", "collabvlm-pod-reader"), "subjects").Any(s => Yaml.Text(s, "name") == account),
                $"{node.Where}: the pod's service account must be bound to the pod-reader Role (discovery lists pods)");
        }
        Assert.True(edge.Arguments.FirstOrDefault() == "serve", $"{edge.Where}: the edge container must run 'serve' (got [{string.Join(' ', edge.Arguments)}])");
        Assert.True(edge.Arguments.Contains("--devices"), $"{edge.Where}: each edge pod simulates several devices (--devices M)");

        var role = manifests.Named("Role", "collabvlm-pod-reader");
        var rule = Yaml.List(role, "rules").Single(r => Yaml.List(r, "resources").Contains("pods"));
        foreach (var verb in new[] { "get", "watch", "list" })
            Assert.True(Yaml.List(rule, "verbs").Contains(verb), $"{kustomization}: the Role must allow '{verb}' on pods");

        var service = manifests.OfKind("Service").Single();
        Assert.True(Yaml.Text(service, "spec.clusterIP") == "None", $"{kustomization}: the remoting/management Service must be headless");
        var serviceSelector = Yaml.StringMap(service, "spec.selector");
        Assert.True(IsSubset(serviceSelector, server.PodLabels) && IsSubset(serviceSelector, edge.PodLabels), $"{kustomization}: the headless Service must select servers and edges");
        foreach (var port in Yaml.List(service, "spec.ports"))
        {
            var target = Yaml.Text(port, "targetPort")!;
            Assert.True(server.HasPort(target) && edge.HasPort(target), $"{kustomization}: Service targetPort '{target}' is not a named port of both containers");
        }

        var pdb = Yaml.StringMap(manifests.OfKind("PodDisruptionBudget").Single(), "spec.selector.matchLabels");
        Assert.True(IsSubset(pdb, server.PodLabels) && !IsSubset(pdb, edge.PodLabels), $"{kustomization}: the PodDisruptionBudget must select servers only");
        var hpa = manifests.OfKind("HorizontalPodAutoscaler").Single();
        Assert.True(Yaml.Text(hpa, "spec.scaleTargetRef.name") == ServerName, $"{kustomization}: the HPA must scale the server Deployment");
        foreach (var metric in Yaml.List(hpa, "spec.metrics").Where(m => Yaml.Text(m, "type") == "Pods"))
        {
            var name = Yaml.Text(metric, "pods.metric.name")!;
            Assert.True(MetricCatalog.FromCode().SeriesNames.Contains(name), $"{kustomization}: the HPA scales on '{name}', which the nodes do not export");
        }

        var namespaces = manifests.OfKind("Namespace").Select(n => Yaml.Text(n, "metadata.name")).ToList();
        Assert.True(namespaces.Count == 1, $"{kustomization}: expected one Namespace");
        foreach (var resource in manifests.Resources.Where(r => Yaml.Text(r, "kind") != "Namespace"))
            Assert.True(Yaml.Text(resource, "metadata.namespace") == namespaces[0], $"{kustomization}: {Yaml.Text(resource, "kind")}/{Yaml.Text(resource, "metadata.name")} is not in namespace {namespaces[0]}");
    }

    [Fact]
    public void Gpu_overlay_gives_servers_a_gpu_and_the_cuda_provider_and_dev_stays_on_the_cpu()
    {
        var gpu = new NodeDeployment(RenderedManifests.Render("deploy/k8s/overlays/gpu"), ServerName);
        var limits = (Dictionary<object, object>)Yaml.At(gpu.Container, "resources.limits")!;
        Assert.True(limits.TryGetValue("nvidia.com/gpu", out var gpus) && gpus?.ToString() == "1", $"{gpu.Where}: servers must request nvidia.com/gpu: 1");
        Assert.True(NodeConfiguration.Bind<ReaderOptions>(gpu.Configuration, "Model").ExecutionProvider == Inference.Onnx.ExecutionProviderChoice.Cuda, $"{gpu.Where}: Model:ExecutionProvider must be Cuda");
        Assert.True(Yaml.Text(gpu.Container, "image")!.StartsWith("collabvlm-server-cuda", StringComparison.Ordinal), $"{gpu.Where}: the CUDA image is expected");

        var dev = new NodeDeployment(RenderedManifests.Render("deploy/k8s/overlays/dev"), ServerName);
        var devLimits = (Dictionary<object, object>)Yaml.At(dev.Container, "resources.limits")!;
        Assert.False(devLimits.ContainsKey("nvidia.com/gpu"), $"{dev.Where}: dev is CPU only");
        Assert.True(NodeConfiguration.Bind<ReaderOptions>(dev.Configuration, "Model").ExecutionProvider == Inference.Onnx.ExecutionProviderChoice.Cpu, $"{dev.Where}: Model:ExecutionProvider must be Cpu");
    }

    [Fact]
    public void The_dashboard_config_map_carries_the_dashboard_file_unchanged()
    {
        var manifests = RenderedManifests.Render("deploy/k8s/overlays/dev");
        var map = manifests.Named("ConfigMap", "collabvlm-grafana-dashboard");
        Assert.True(Yaml.StringMap(map, "metadata.labels").GetValueOrDefault("grafana_dashboard") == "1", "the Grafana sidecar finds dashboards by label grafana_dashboard=1");
        Assert.Equal(File.ReadAllText(Repository.Dashboard), Yaml.StringMap(map, "data")["collabvlm.json"]);
        Assert.NotEmpty(GrafanaDashboard.Load().Panels);
    }

    private const string ServerName = "collabvlm-server";
    private const string EdgeName = "collabvlm-edge";

    private static IEnumerable<NodeDeployment> Nodes(RenderedManifests manifests) =>
        [new NodeDeployment(manifests, ServerName), new NodeDeployment(manifests, EdgeName)];

    private static bool IsSubset(IReadOnlyDictionary<string, string> subset, IReadOnlyDictionary<string, string> of) =>
        subset.Count > 0 && subset.All(kv => of.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

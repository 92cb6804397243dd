using CollabVlm.NodeDefaults;
using CollabVlm.Operations.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CollabVlm.Operations.Tests.Manifests;

/// <summary>
/// A rendered Deployment of one node kind, seen the way the application sees it: the executable's appsettings.json
/// (the image ships it beside the executable), then the environment its container gets (ConfigMaps via envFrom, then
/// env entries) — the configuration the node would bind.
/// </summary>
public sealed class NodeDeployment
{
    /// <summary>Stand-in for values Kubernetes fills at run time (fieldRef: status.podIP).</summary>
    public const string PodIpPlaceholder = "10.1.2.3";

    public NodeDeployment(RenderedManifests manifests, string name)
    {
        Manifests = manifests;
        Resource = manifests.Named("Deployment", name);
        Name = name;
        Container = Yaml.List(Resource, "spec.template.spec.containers").Cast<Dictionary<object, object>>().Single();
        Environment = CollectEnvironment();
        Configuration = new ConfigurationBuilder()
            .AddJsonFile(Repository.Path("src", name.Contains("server", StringComparison.Ordinal) ? "ServerNode" : "EdgeNode", "appsettings.json"), optional: false)
            .AddInMemoryCollection(Environment.ToDictionary(
                kv => kv.Key[NodeDefaults.NodeConfiguration.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal),
                kv => (string?)kv.Value))
            .Build();
    }

    public RenderedManifests Manifests { get; }
    public string Name { get; }
    public Dictionary<object, object> Resource { get; }
    public Dictionary<object, object> Container { get; }

    /// <summary>Variable name → value as the container would see it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public IConfiguration Configuration { get; }

    public IReadOnlyDictionary<string, string> PodLabels => Yaml.StringMap(Resource, "spec.template.metadata.labels");

    public IReadOnlyDictionary<string, string> PodAnnotations => Yaml.StringMap(Resource, "spec.template.metadata.annotations");

    public IReadOnlyList<string> Arguments => Yaml.List(Container, "args").Select(a => a.ToString()!).ToList();

    /// <summary>Container port by name; a clear failure when absent.</summary>
    public int Port(string name)
    {
        var port = Yaml.List(Container, "ports").Cast<Dictionary<object, object>>().FirstOrDefault(p => Yaml.Text(p, "name") == name)
            ?? throw new Xunit.Sdk.XunitException($"{Where}: the container has no port named '{name}'");
        return int.Parse(Yaml.Text(port, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool HasPort(string name) => Yaml.List(Container, "ports").Cast<Dictionary<object, object>>().Any(p => Yaml.Text(p, "name") == name);

    public string Where => $"{Manifests.Kustomization} Deployment/{Name}";

    private Dictionary<string, string> CollectEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Yaml.List(Container, "envFrom"))
        {
            var mapName = Yaml.Text(source, "configMapRef.name")
                ?? throw new Xunit.Sdk.XunitException($"{Where}: envFrom entries other than configMapRef are not expected");
            foreach (var (key, value) in Yaml.StringMap(Manifests.Named("ConfigMap", mapName), "data")) environment[key] = value;
        }
        foreach (var entry in Yaml.List(Container, "env"))
        {
            var name = Yaml.Text(entry, "name")!;
            environment[name] = Yaml.Text(entry, "value")
                ?? (Yaml.Text(entry, "valueFrom.fieldRef.fieldPath") == "status.podIP" ? PodIpPlaceholder
                    : throw new Xunit.Sdk.XunitException($"{Where}: env {name} has neither a value nor valueFrom status.podIP"));
        }
        return environment;
    }
}

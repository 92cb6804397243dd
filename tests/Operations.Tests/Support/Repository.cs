using CollabVlm.EndToEnd.Tests;

namespace CollabVlm.Operations.Tests.Support;

/// <summary>Files of this repository the checks read.</summary>
public static class Repository
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([Executables.RepositoryRoot, .. parts]);

    public static string Dashboard => Path("deploy", "grafana", "dashboards", "collabvlm.json");

    public static string DatasourceProvisioning => Path("deploy", "grafana", "provisioning", "datasources", "prometheus.yaml");

    public static string Readme => Path("README.md");

    /// <summary>Every kustomization a user may apply: the base (overlays build on it) and every folder of deploy/k8s/overlays.</summary>
    public static IReadOnlyList<string> Kustomizations { get; } =
    [
        "deploy/k8s/base",
        .. Directory.GetDirectories(Path("deploy", "k8s", "overlays")).Select(d => $"deploy/k8s/overlays/{System.IO.Path.GetFileName(d)}").Order(StringComparer.Ordinal),
    ];

    /// <summary>The Dockerfiles of deploy/docker.</summary>
    public static IReadOnlyList<string> Dockerfiles => Directory.GetFiles(Path("deploy", "docker"), "*.Dockerfile").Order(StringComparer.Ordinal).ToList();

    public static string AdapterRules => Path("deploy", "k8s", "variants", "hpa-queue-depth", "prometheus-adapter-rules.yaml");
}

using CollabVlm.EndToEnd.Tests;

namespace CollabVlm.Operations.Tests.Support;

/// <summary>Files of this repository the checks read.</summary>
public static class Repository
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([Executables.RepositoryRoot, .. parts]);

    public static string Dashboard => Path("deploy", "grafana", "dashboards", "collabvlm.json");

    public static string DatasourceProvisioning => Path("deploy", "grafana", "provisioning", "datasources", "prometheus.yaml");

    public static string Readme => Path("README.md");

    /// <summary>Every kustomization a user may apply (the base is rendered too: overlays build on it).</summary>
    public static IReadOnlyList<string> Kustomizations { get; } = ["deploy/k8s/base", "deploy/k8s/overlays/dev", "deploy/k8s/overlays/gpu", "deploy/k8s/overlays/served-vlm"];
}

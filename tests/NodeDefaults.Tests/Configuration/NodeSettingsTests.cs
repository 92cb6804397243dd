using CollabVlm.NodeDefaults;
using Microsoft.Extensions.Configuration;

namespace CollabVlm.NodeDefaults.Tests.Configuration;

/// <summary>Node settings: bad values are refused with a sentence naming the key.</summary>
public sealed class NodeSettingsTests
{
    [Fact]
    public void Kubernetes_discovery_sets_seeds_aside_and_refuses_a_bad_management_port_or_a_missing_pod_address()
    {
        // The edge's appsettings.json names a demo seed; with bootstrap it must not be joined.
        var withSeeds = new ClusterNodeOptions { Discovery = ClusterDiscovery.KubernetesApi, Seeds = ["akka.tcp://collabvlm@10.0.0.5:4053"] };
        Assert.Null(withSeeds.Validate());
        Assert.Empty(withSeeds.SeedsToJoin);
        Assert.Single((withSeeds with { Discovery = ClusterDiscovery.Seeds }).SeedsToJoin);
        var anyAddress = new ClusterNodeOptions { Discovery = ClusterDiscovery.KubernetesApi, Hostname = "0.0.0.0" };
        Assert.Contains("Cluster:PublicHostname", anyAddress.Validate(), StringComparison.Ordinal);
        Assert.Null((anyAddress with { PublicHostname = "10.1.2.3" }).Validate());
        Assert.Contains("Cluster:Hostname", new ClusterNodeOptions { Discovery = ClusterDiscovery.KubernetesApi, Hostname = "node-1.example" }.Validate(), StringComparison.Ordinal);
        var badPort = new ClusterNodeOptions { Discovery = ClusterDiscovery.KubernetesApi, ManagementPort = 0 };
        Assert.Contains("Cluster:ManagementPort", badPort.Validate(), StringComparison.Ordinal);
        Assert.Null(new ClusterNodeOptions { Discovery = ClusterDiscovery.KubernetesApi }.Validate());
    }

    [Fact]
    public void Http_settings_need_an_ip_address_or_localhost_and_a_port_in_range()
    {
        Assert.Contains("Http:Hostname", new HttpSettings { Hostname = "example.invalid" }.Validate(), StringComparison.Ordinal);
        Assert.Contains("Http:Port", new HttpSettings { Port = 70_000 }.Validate(), StringComparison.Ordinal);
        Assert.Null(new HttpSettings { Hostname = "0.0.0.0", Port = 9464 }.Validate());
    }
}

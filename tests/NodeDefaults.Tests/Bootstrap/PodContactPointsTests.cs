using CollabVlm.NodeDefaults.Bootstrap;
using k8s.Models;

namespace CollabVlm.NodeDefaults.Tests.Bootstrap;

/// <summary>Which pods of a listing bootstrap may probe: only those that can answer, on the named port.</summary>
public sealed class PodContactPointsTests
{
    [Fact]
    public void Running_pods_with_an_ip_are_probed_on_their_port_named_management()
    {
        var targets = PodContactPoints.Select(List(Pod("a", "10.0.0.7", 8558), Pod("b", "10.0.0.8", 9000)), KubernetesBootstrap.PortName);
        Assert.Equal([("10.0.0.7", 8558), ("10.0.0.8", 9000)], targets.Select(t => (t.Host, t.Port ?? -1)));
        Assert.All(targets, t => Assert.Equal(t.Host, t.Address?.ToString()));
    }

    [Fact]
    public void Pending_terminating_addressless_and_unnamed_port_pods_are_not_contact_points()
    {
        var pending = Pod("pending", "10.0.0.1", 8558, phase: "Pending");
        var terminating = Pod("terminating", "10.0.0.2", 8558);
        terminating.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var noAddress = Pod("scheduled", null, 8558);
        var otherPort = Pod("other", "10.0.0.4", 8558, portName: "remoting");
        var good = Pod("good", "10.0.0.5", 8558);

        var targets = PodContactPoints.Select(List(pending, terminating, noAddress, otherPort, good), KubernetesBootstrap.PortName);

        Assert.Equal(["10.0.0.5"], targets.Select(t => t.Host));
    }

    [Fact]
    public void Without_a_port_name_every_live_pod_counts_and_no_port_is_implied()
    {
        var target = Assert.Single(PodContactPoints.Select(List(Pod("a", "10.0.0.7", 8558, portName: "remoting")), portName: null));
        Assert.Null(target.Port);
    }

    [Fact]
    public void An_empty_listing_has_no_contact_points() => Assert.Empty(PodContactPoints.Select(new V1PodList { Items = [] }, KubernetesBootstrap.PortName));

    private static V1PodList List(params V1Pod[] pods) => new() { Items = pods };

    private static V1Pod Pod(string name, string? ip, int port, string phase = "Running", string portName = KubernetesBootstrap.PortName) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "node", Ports = [new V1ContainerPort { Name = portName, ContainerPort = port }] }] },
        Status = new V1PodStatus { Phase = phase, PodIP = ip },
    };
}

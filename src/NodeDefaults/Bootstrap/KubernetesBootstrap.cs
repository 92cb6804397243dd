using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using CollabVlm.NodeDefaults;

namespace CollabVlm.NodeDefaults.Bootstrap;

/// <summary>
/// <c>Cluster:Discovery=KubernetesApi</c>: Akka.Management's cluster bootstrap finds the peer pods through the
/// Kubernetes API by label (<see cref="KubernetesPodDiscovery"/>), probes their <see cref="BootstrapContactPoint"/>s,
/// and then joins the cluster they report or, when none exists and this node has the lowest contact-point address, forms it.
/// </summary>
public static class KubernetesBootstrap
{
    /// <summary>The container port name the discovery looks for on each pod (the manifests name the port so).</summary>
    public const string PortName = "management";

    public static AkkaConfigurationBuilder WithKubernetesBootstrap(this AkkaConfigurationBuilder builder, ClusterNodeOptions node)
    {
        var discovery = $$"""
            akka.discovery.method = {{KubernetesPodDiscovery.MethodName}}
            akka.discovery.{{KubernetesPodDiscovery.MethodName}} {
              class = "{{typeof(KubernetesPodDiscovery).FullName}}, {{typeof(KubernetesPodDiscovery).Assembly.GetName().Name}}"
              pod-label-selector = "{{node.PodLabelSelector}}"
            }
            """;
        return builder
            // autoStart off: auto-start would also start Akka.Management's own HTTP server, which cannot run with the
            // served Ceen.Httpd (see BootstrapContactPoint). The node's Kestrel host serves the contact point instead.
            .WithClusterBootstrap(serviceName: node.ServiceName, portName: PortName, requiredContactPoints: node.RequiredContactPoints, autoStart: false)
            .AddHocon(discovery, HoconAddMode.Prepend)
            .WithActors((system, _) => Start(system, SelfContactPoint(node)));
    }

    /// <summary>Where peers probe this node: the address they reach it at (the pod IP) and the management port.</summary>
    private static Uri SelfContactPoint(ClusterNodeOptions node) =>
        new($"http://{node.PublicHostname ?? node.Hostname}:{node.ManagementPort.ToString(CultureInfo.InvariantCulture)}/");

    private static void Start(ActorSystem system, Uri selfContactPoint)
    {
        var bootstrap = ClusterBootstrap.Get(system);
        // Routes() is how Akka.Management hands a bootstrap its own contact point; the routes it returns are not used.
        bootstrap.Routes(ManagementRouteProviderSettings.Create(selfContactPoint, readOnly: true));
        bootstrap.Start().ContinueWith(t =>
        {
            // Without bootstrap this node never joins: say why and stop, so the pod restarts visibly instead of idling unready.
            system.Log.Error(t.Exception, "cluster bootstrap failed to start; terminating the node");
            system.Terminate();
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}

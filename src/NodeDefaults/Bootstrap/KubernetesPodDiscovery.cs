using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Discovery;
using Akka.Event;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Akka.Discovery.ServiceDiscovery;

namespace CollabVlm.NodeDefaults.Bootstrap;

/// <summary>
/// Akka.Discovery method that lists the pods of this namespace by label through the Kubernetes API; cluster
/// bootstrap asks it for contact points (<see cref="PodContactPoints"/>).
/// </summary>
/// <remarks>
/// Stands in for Akka.Discovery.KubernetesApi, whose 1.5.73 build calls a KubernetesClient 17 constructor that the
/// served KubernetesClient versions (19, 21) no longer have ("Method not found: V1PodList..ctor"), so its lookup
/// cannot run here. Inside a pod it authenticates with the mounted service account (token re-read as it rotates,
/// namespace from the mount); outside one, from the kubeconfig named by <c>KUBECONFIG</c>.
/// </remarks>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    /// <summary>The <c>akka.discovery.method</c> name under which <see cref="KubernetesBootstrap"/> registers this class.</summary>
    public const string MethodName = "collabvlm-kubernetes-api";

    private readonly ILoggingAdapter _log;
    private readonly string _selectorFormat;
    private readonly Lazy<(IKubernetes Client, string Namespace)> _api;

    /// <summary>Created by Akka.Discovery with the method's config block (<c>pod-label-selector</c>, <c>{0}</c> = service name).</summary>
    public KubernetesPodDiscovery(ExtendedActorSystem system, Config config)
    {
        _log = Logging.GetLogger(system, typeof(KubernetesPodDiscovery));
        _selectorFormat = config.GetString("pod-label-selector");
        _api = new(Connect);
    }

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        var (client, podNamespace) = _api.Value;
        var selector = string.Format(CultureInfo.InvariantCulture, _selectorFormat, lookup.ServiceName);
        using var timeout = new CancellationTokenSource(resolveTimeout);
        V1PodList pods;
        try
        {
            pods = await client.CoreV1.ListNamespacedPodAsync(podNamespace, labelSelector: selector, cancellationToken: timeout.Token);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            // The one failure an operator must fix by hand; say what is missing. Bootstrap retries with backoff.
            _log.Warning("Kubernetes API: Forbidden to list pods in namespace {0}; check RBAC: the pod's service account needs get/list/watch on pods (Role collabvlm-pod-reader). {1}",
                podNamespace, e.Response.Content);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Kubernetes API: listing pods ({selector}) in namespace {podNamespace} took longer than {resolveTimeout.TotalSeconds:0.#} s");
        }
        var targets = PodContactPoints.Select(pods, lookup.PortName);
        if (targets.Count == 0)
            _log.Warning("Kubernetes API: no contact points among {0} pods in namespace {1} with labels {2} (running, with an IP and a port named '{3}')",
                pods.Items?.Count ?? 0, podNamespace, selector, lookup.PortName);
        return new Resolved(lookup.ServiceName, targets);
    }

    private static (IKubernetes, string) Connect()
    {
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        var config = KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : !string.IsNullOrEmpty(kubeconfig) ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
            : throw new InvalidOperationException("Cluster:Discovery=KubernetesApi, but this node runs neither in a Kubernetes pod (no service-account token mounted) nor with KUBECONFIG set");
        return (new Kubernetes(config), config.Namespace ?? "default");
    }
}

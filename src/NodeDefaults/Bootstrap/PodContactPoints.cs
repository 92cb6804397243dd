using System.Net;
using Akka.Discovery;
using k8s.Models;
using static Akka.Discovery.ServiceDiscovery;

namespace CollabVlm.NodeDefaults.Bootstrap;

/// <summary>Which pods of a Kubernetes pod listing are bootstrap contact points, and where to probe them.</summary>
public static class PodContactPoints
{
    /// <summary>
    /// Running pods that are not being deleted and have an IP; with <paramref name="portName"/>, only those whose
    /// container declares a port of exactly that name, probed on it. A pending pod cannot answer a probe and a
    /// terminating one is leaving, so neither counts towards the contact points needed to form a cluster.
    /// </summary>
    public static IReadOnlyList<ResolvedTarget> Select(V1PodList pods, string? portName)
    {
        var targets = new List<ResolvedTarget>();
        foreach (var pod in pods.Items ?? [])
        {
            if (pod.Metadata?.DeletionTimestamp is not null) continue;
            if (!string.Equals(pod.Status?.Phase, "Running", StringComparison.OrdinalIgnoreCase)) continue;
            if (!IPAddress.TryParse(pod.Status?.PodIP, out var ip)) continue;
            int? port = null;
            if (portName is not null)
            {
                var named = (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == portName);
                if (named is null) continue;
                port = named.ContainerPort;
            }
            targets.Add(new ResolvedTarget(ip.ToString(), port, ip));
        }
        return targets;
    }
}

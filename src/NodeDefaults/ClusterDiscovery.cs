namespace CollabVlm.NodeDefaults;

/// <summary>How a node finds the cluster.</summary>
public enum ClusterDiscovery
{
    /// <summary>Join the addresses in <c>Cluster:Seeds</c>; a node without seeds forms a new cluster by joining itself.</summary>
    Seeds,

    /// <summary>
    /// Akka.Management cluster bootstrap: find peer pods through the Kubernetes API by label and form or join the
    /// cluster from them (no fixed seed addresses; the pod's service account must be allowed to list pods).
    /// </summary>
    KubernetesApi,
}

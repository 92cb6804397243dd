namespace CollabVlm.Actors.Hosting;

/// <summary>
/// Where a node listens and whom it joins. Bound from configuration section "Cluster"
/// (<c>COLLABVLM_Cluster__Port</c>, <c>COLLABVLM_Cluster__Seeds__0</c>, …).
/// </summary>
public sealed record ClusterNodeOptions
{
    /// <summary>All nodes of one deployment must share the actor system name.</summary>
    public string SystemName { get; init; } = "collabvlm";

    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Address other nodes use to reach this one (defaults to <see cref="Hostname"/>).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>TCP port for remoting; 0 picks a free one.</summary>
    public int Port { get; init; } = 0;

    /// <summary>Seed node addresses, e.g. <c>akka.tcp://collabvlm@10.0.0.5:4053</c>. Empty = this node is the first and joins itself.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>Seeds (default) or KubernetesApi (Akka.Management cluster bootstrap; Seeds must then be empty).</summary>
    public ClusterDiscovery Discovery { get; init; } = ClusterDiscovery.Seeds;

    /// <summary>Akka.Management HTTP port, where bootstrapping peers probe each other (KubernetesApi discovery only).</summary>
    public int ManagementPort { get; init; } = 8558;

    /// <summary>Bootstrap service name; replaces <c>{0}</c> in <see cref="PodLabelSelector"/>.</summary>
    public string ServiceName { get; init; } = "collabvlm";

    /// <summary>Kubernetes label selector of the pods that form one cluster (servers and edges alike).</summary>
    public string PodLabelSelector { get; init; } = "app.kubernetes.io/part-of={0}";

    /// <summary>Contact points that must be discovered before a new cluster is formed (guards against two clusters at first start).</summary>
    public int RequiredContactPoints { get; init; } = 2;

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(SystemName)) return "Cluster:SystemName must not be empty";
        if (Port is < 0 or > 65535) return $"Cluster:Port must be in 0..65535 (got {Port})";
        if (Discovery == ClusterDiscovery.KubernetesApi)
        {
            if (Seeds.Count > 0) return "Cluster:Seeds must be empty when Cluster:Discovery is KubernetesApi (bootstrap finds the peers)";
            if (ManagementPort is < 1 or > 65535) return $"Cluster:ManagementPort must be in 1..65535 (got {ManagementPort})";
            if (RequiredContactPoints < 1) return "Cluster:RequiredContactPoints must be ≥ 1";
            if (string.IsNullOrWhiteSpace(ServiceName)) return "Cluster:ServiceName must not be empty";
        }
        var bad = Seeds.FirstOrDefault(s => !s.StartsWith("akka.tcp://", StringComparison.Ordinal) || !s.Contains('@'));
        return bad is null ? null : $"Cluster:Seeds entry '{bad}' is not an address like akka.tcp://{SystemName}@host:port";
    }
}

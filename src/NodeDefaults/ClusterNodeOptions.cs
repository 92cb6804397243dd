using CollabVlm.NodeDefaults.Downing;

namespace CollabVlm.NodeDefaults;

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

    /// <summary>
    /// How long members must stay unreachable (with nothing else changing) before the cluster downs them, or this side
    /// gives way (<see cref="Downing.ServerMajority"/>). Shorter fails over sooner; too short downs nodes that only paused.
    /// </summary>
    public TimeSpan DownUnreachableAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Seeds (default) or KubernetesApi (Akka.Management cluster bootstrap; <see cref="Seeds"/> are then not used).</summary>
    public ClusterDiscovery Discovery { get; init; } = ClusterDiscovery.Seeds;

    /// <summary>Port of the bootstrap contact point, where bootstrapping peers probe each other (KubernetesApi discovery only;
    /// served by the node's own HTTP host on <see cref="Hostname"/>).</summary>
    public int ManagementPort { get; init; } = 8558;

    /// <summary>Bootstrap service name; replaces <c>{0}</c> in <see cref="PodLabelSelector"/>.</summary>
    public string ServiceName { get; init; } = "collabvlm";

    /// <summary>Kubernetes label selector of the pods that form one cluster (servers and edges alike).</summary>
    public string PodLabelSelector { get; init; } = "app.kubernetes.io/part-of={0}";

    /// <summary>Contact points that must be discovered before a new cluster is formed (guards against two clusters at first start).</summary>
    public int RequiredContactPoints { get; init; } = 2;

    /// <summary>
    /// The seeds this node joins: none with Kubernetes API discovery, where bootstrap finds the peers. (The edge's
    /// appsettings.json names a local seed for the demo, and a container built from it must still bootstrap.)
    /// </summary>
    public IReadOnlyList<string> SeedsToJoin => Discovery == ClusterDiscovery.Seeds ? Seeds : [];

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(SystemName)) return "Cluster:SystemName must not be empty";
        if (Port is < 0 or > 65535) return $"Cluster:Port must be in 0..65535 (got {Port})";
        if (DownUnreachableAfter < TimeSpan.FromSeconds(1)) return $"Cluster:DownUnreachableAfter must be at least 1 s (got {DownUnreachableAfter})";
        if (Discovery == ClusterDiscovery.KubernetesApi)
        {
            if (ManagementPort is < 1 or > 65535) return $"Cluster:ManagementPort must be in 1..65535 (got {ManagementPort})";
            if (RequiredContactPoints < 1) return "Cluster:RequiredContactPoints must be ≥ 1";
            if (string.IsNullOrWhiteSpace(ServiceName)) return "Cluster:ServiceName must not be empty";
            // Kubernetes label syntax has no quotes or backslashes, and the selector goes into HOCON as a quoted string.
            if (string.IsNullOrWhiteSpace(PodLabelSelector) || PodLabelSelector.IndexOfAny(['"', '\\']) >= 0 || !FormatsWithServiceName(PodLabelSelector))
                return $"Cluster:PodLabelSelector must be a Kubernetes label selector, with {{0}} for Cluster:ServiceName (got '{PodLabelSelector}')";
            if (!ListenAddress.IsValid(Hostname))
                return $"Cluster:Hostname must be an IP address or 'localhost' with KubernetesApi discovery: the bootstrap contact point listens there (got '{Hostname}')";
            // Peers match the contact point they discovered (the pod IP) against this node's own; 0.0.0.0 matches nobody.
            if (PublicHostname is null && ListenAddress.IsUnspecified(Hostname))
                return $"Cluster:PublicHostname must be set (the pod IP) when Cluster:Hostname is {Hostname} with KubernetesApi discovery";
        }
        var bad = Seeds.FirstOrDefault(s => !s.StartsWith("akka.tcp://", StringComparison.Ordinal) || !s.Contains('@'));
        return bad is null ? null : $"Cluster:Seeds entry '{bad}' is not an address like akka.tcp://{SystemName}@host:port";
    }

    private static bool FormatsWithServiceName(string selector)
    {
        try
        {
            _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, selector, "x");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

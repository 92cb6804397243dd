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

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(SystemName)) return "Cluster:SystemName must not be empty";
        if (Port is < 0 or > 65535) return $"Cluster:Port must be in 0..65535 (got {Port})";
        var bad = Seeds.FirstOrDefault(s => !s.StartsWith("akka.tcp://", StringComparison.Ordinal) || !s.Contains('@'));
        return bad is null ? null : $"Cluster:Seeds entry '{bad}' is not an address like akka.tcp://{SystemName}@host:port";
    }
}

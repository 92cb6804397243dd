namespace CollabVlm.NodeDefaults;

/// <summary>
/// The node's operations endpoint: Prometheus scrape, liveness and readiness over plain HTTP.
/// Bound from configuration section "Http" (<c>COLLABVLM_Http__Port</c>, <c>COLLABVLM_Http__Hostname</c>).
/// The paths are fixed so probes, scrape configs and manifests can rely on them.
/// </summary>
public sealed record HttpSettings
{
    public const string MetricsPath = "/metrics";
    public const string LivenessPath = "/healthz/live";
    public const string ReadinessPath = "/healthz/ready";

    /// <summary>The OpenTelemetry Prometheus exporter's customary port; the server's appsettings.json sets it.</summary>
    public const int DefaultServerPort = 9464;

    /// <summary>The edge's appsettings.json sets this, so a server and an edge on one machine do not collide.</summary>
    public const int DefaultEdgePort = 9465;

    /// <summary>Address to listen on: an IP address (0.0.0.0 = every interface, as in a container) or <c>localhost</c>.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (logged at start).</summary>
    public int Port { get; init; }

    public string? Validate()
    {
        if (Port is < 0 or > 65535) return $"Http:Port must be in 0..65535 (got {Port})";
        if (!ListenAddress.IsValid(Hostname))
            return $"Http:Hostname must be an IP address or 'localhost' (got '{Hostname}')";
        return null;
    }
}

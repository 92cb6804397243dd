using CollabVlm.Actors.Edge;

namespace CollabVlm.Bench.Runs;

/// <summary>How command-line options become node settings.</summary>
public static class RunCommandOptions
{
    /// <summary>
    /// The edge settings a run uses. LINK SHAPER PLUGS IN HERE: a <c>--link-mbps</c>/<c>--rtt-ms</c>
    /// pair will become the edge's uplink shaper settings (token bucket) once the edge has them;
    /// until then every run is at loopback speed and says so.
    /// </summary>
    public static EdgeSettings EdgeFor(int? globalLongSide)
    {
        var edge = new EdgeSettings();
        return edge with { GlobalLongSide = globalLongSide ?? edge.GlobalLongSide };
    }
}

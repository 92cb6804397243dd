using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Inference.Reader;

namespace CollabVlm.Bench.Runs;

/// <summary>Everything <c>run</c> was asked to do.</summary>
public sealed record RunSettings(
    string DatasetFolder,
    string OutFolder,
    double Threshold,
    int Seed,
    bool Direct,
    int? Limit,
    int FullFrameSample,
    ServerSettings Server,
    EdgeSettings Edge,
    ReaderOptions Reader,
    TimeSpan Deadline)
{
    /// <summary>
    /// The link the figures were measured at. Today: loopback, unshaped.
    /// LINK SHAPER PLUGS IN HERE: when the edge gets an uplink shaper (token bucket: rate, burst,
    /// added delay), <c>run --link-mbps R --rtt-ms T</c> sets it on <see cref="Edge"/> (see
    /// <see cref="RunCommandOptions.EdgeFor"/>) and this string reports it.
    /// </summary>
    public string Link => "loopback TCP, unshaped (no --link-mbps/--rtt-ms yet)";
}

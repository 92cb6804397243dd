using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Actors.Server;
using CollabVlm.Inference.Reader;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Uplink;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.InProcess;
using CollabVlm.TwoStage.Region;

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
    /// <summary>The edge node's emulated uplink in cluster mode (<c>--link-mbps</c>, <c>--rtt-ms</c>); null = loopback, unshaped.</summary>
    public UplinkSettings? Uplink { get; init; }

    /// <summary>Also read a crop around each question's true box (the ceiling any RoI can reach), where the data set records one.</summary>
    public bool TrueBox { get; init; } = true;

    /// <summary>Also run the edge-proposals candidate: the edge scans its full frame for text and snaps the region onto it.</summary>
    public bool EdgeProposals { get; init; }

    /// <summary>Also run the two-level zoom candidate (a wide, coarse view first, then the tight region its pass points at); none when null.</summary>
    public TwoLevelZoom? Zoom { get; init; }

    /// <summary>
    /// The link the in-process loop's edge assumes: the shaped uplink's rate and round trip when one is
    /// set, else one that never limits (so direct figures depend on the settings alone).
    /// </summary>
    public LinkView DirectLink => LinkFor(Uplink);

    /// <summary>The link an in-process edge believes it has on <paramref name="uplink"/>: its rate and round trip, fully trusted; null = never limits.</summary>
    public static LinkView LinkFor(UplinkSettings? uplink) => uplink is { } u
        ? new LinkView(u.BytesPerSecond, u.OneWayDelay * 2, 1)
        : InProcessLoop.Unconstrained;

    /// <summary>The link the figures were measured at, as the report states it.</summary>
    public string Link => Uplink is { } u
        ? $"loopback TCP shaped to {u.BitsPerSecond / 1e6:0.###} Mbit/s with {u.OneWayDelay.TotalMilliseconds:0} ms added delay (edge uplink token bucket)"
        : "loopback TCP, unshaped (add --link-mbps/--rtt-ms to shape the edge's uplink)";
}

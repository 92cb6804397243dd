using CollabVlm.Actors.Edge.Link;
using CollabVlm.Simulation.Uplink;

namespace CollabVlm.Bench.Latency;

/// <summary>
/// One emulated uplink of the latency benchmark. Only the edge's outgoing bytes pass the shaper
/// (answers come back over plain loopback), so the one-way delay is the whole added round trip.
/// </summary>
public sealed record ShapedLink(string Name, long BitsPerSecond, TimeSpan RoundTrip)
{
    public static IReadOnlyList<ShapedLink> Standard { get; } =
    [
        new("1mbps", 1_000_000, TimeSpan.FromMilliseconds(50)),
        new("10mbps", 10_000_000, TimeSpan.FromMilliseconds(20)),
    ];

    public double BytesPerSecond => BitsPerSecond / 8.0;

    public UplinkSettings Uplink => new()
    {
        Enabled = true,
        BitsPerSecond = BitsPerSecond,
        // One packet: a bigger bucket lets small messages through faster than the rate.
        BurstBytes = 1500,
        OneWayDelay = RoundTrip,
    };
}

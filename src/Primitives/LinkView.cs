namespace CollabVlm.Primitives;

/// <summary>
/// What an edge device believes about its uplink (docs/link-estimator.md): sustained throughput, round-trip
/// time, and how much to trust both (0 = nothing observed yet, 1 = many consistent samples).
/// Layer plans and the global image's quality are sized from it; it travels in answers and metrics.
/// </summary>
public sealed record LinkView(double BytesPerSecond, TimeSpan RoundTrip, double Confidence)
{
    /// <summary>
    /// Before any transfer was observed: an assumed 1 Mbit/s with 100 ms RTT and zero confidence,
    /// so plans made from it carry the widest safety margin.
    /// </summary>
    public static LinkView Unknown { get; } = new(125_000, TimeSpan.FromMilliseconds(100), 0);

    /// <summary>Expected time until <paramref name="bytes"/> have arrived: half a round trip plus serialisation.</summary>
    public TimeSpan TimeToDeliver(long bytes) =>
        TimeSpan.FromSeconds(RoundTrip.TotalSeconds / 2 + bytes / Math.Max(BytesPerSecond, 1));

    /// <summary>Bytes that fit into <paramref name="time"/> after half a round trip; never negative.</summary>
    public long BytesWithin(TimeSpan time) =>
        (long)Math.Max(0, (time.TotalSeconds - RoundTrip.TotalSeconds / 2) * BytesPerSecond);
}

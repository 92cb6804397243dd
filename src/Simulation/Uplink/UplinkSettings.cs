namespace CollabVlm.Simulation.Uplink;

/// <summary>
/// The emulated uplink of one edge node, for demos, tests and benchmarks (docs/link-estimator.md). Off by
/// default: on real deployments the real network shapes. Bound from configuration section "Uplink"
/// (environment variables <c>COLLABVLM_Uplink__Enabled</c>, <c>COLLABVLM_Uplink__BitsPerSecond</c> etc.).
/// </summary>
public sealed record UplinkSettings
{
    public bool Enabled { get; init; }

    /// <summary>Sustained rate of the token bucket.</summary>
    public long BitsPerSecond { get; init; } = 1_000_000;

    /// <summary>
    /// Bucket depth: bytes that may leave at once after the link was idle. Small by default (about
    /// three packets) so that a transfer's duration reflects the rate, as on a real access link; an
    /// element larger than the burst still passes, it just waits for all of its tokens.
    /// </summary>
    public int BurstBytes { get; init; } = 4096;

    /// <summary>
    /// Added to every byte's delivery after its tokens were granted. Only the edge's outgoing bytes
    /// pass the shaper, so this is all the extra latency a round trip (upload + acknowledgement) sees.
    /// </summary>
    public TimeSpan OneWayDelay { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Elements a shaped stream may hold in its delay line. Carrying the full rate needs
    /// <c>rate × delay / element size</c> of them (1 Mbit/s, 25 ms, 16 KiB chunks: 1); beyond that the
    /// stream back-pressures instead of buffering.
    /// </summary>
    public int MaxElementsInFlight { get; init; } = 32;

    public double BytesPerSecond => BitsPerSecond / 8.0;

    public string? Validate()
    {
        if (BitsPerSecond < 8_000) return $"Uplink:BitsPerSecond must be ≥ 8000 (1 kB/s) (got {BitsPerSecond})";
        if (BurstBytes < 1) return $"Uplink:BurstBytes must be ≥ 1 (got {BurstBytes})";
        if (OneWayDelay < TimeSpan.Zero || OneWayDelay > TimeSpan.FromSeconds(10))
            return $"Uplink:OneWayDelay must be in 0..10 s (got {OneWayDelay})";
        if (MaxElementsInFlight is < 1 or > 100_000) return $"Uplink:MaxElementsInFlight must be in 1..100000 (got {MaxElementsInFlight})";
        return null;
    }
}

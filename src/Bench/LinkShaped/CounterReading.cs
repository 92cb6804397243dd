namespace CollabVlm.Bench.LinkShaped;

/// <summary>The edge's veth transmit counter (bytes, link layer, as the kernel counts them) at <paramref name="AtMs"/> (Unix ms).</summary>
public readonly record struct CounterReading(long AtMs, long TxBytes);

namespace CollabVlm.Bench.Latency;

/// <summary>One query of the latency benchmark: end-to-end time, bytes sent, whether it was right, and the local upload if any.</summary>
public sealed record LatencySample(double LatencyMs, long Bytes, bool Right, long LocalBytes = 0, TimeSpan? LocalUpload = null, string? Failure = null,
    bool Degraded = false);

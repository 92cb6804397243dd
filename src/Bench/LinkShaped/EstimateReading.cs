namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// The edge's link estimate as its /metrics showed it at <paramref name="AtMs"/> (Unix ms); the values are null before
/// the edge observed its first upload (no series yet).
/// </summary>
public readonly record struct EstimateReading(long AtMs, double? BytesPerSecond, double? RoundTripSeconds, double? Confidence);

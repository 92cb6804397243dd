namespace CollabVlm.Actors.Edge.Link;

/// <summary>
/// One observed upload: <paramref name="Bytes"/> sent, and the time from handing the first byte to
/// the uplink until the receiver's acknowledgement came back. Elapsed therefore holds one round trip
/// on top of the serialisation time <c>Bytes / rate</c>.
/// </summary>
public readonly record struct TransferSample(long Bytes, TimeSpan Elapsed)
{
    /// <summary>Null when the sample can be learned from; otherwise what is wrong with it.</summary>
    public string? Validate() =>
        Bytes <= 0 ? $"a transfer must carry at least one byte (got {Bytes})"
        : Elapsed <= TimeSpan.Zero ? $"a transfer must take a positive time (got {Elapsed.TotalMilliseconds} ms)"
        : null;
}

using Akka.Streams;

namespace CollabVlm.Messages;

/// <summary>
/// Server → edge: "send me the region <paramref name="Box"/> of the original frame". The server
/// allocated <paramref name="Sink"/>; the edge pushes the local image into it as
/// <see cref="LayerChunk"/>s. <paramref name="MaxLongSide"/> and <paramref name="Quality"/> bound the
/// crop's resolution and JPEG quality; <paramref name="Deadline"/> is the time left for the transfer.
/// </summary>
public sealed record RoiRequest(
    QueryId QueryId,
    NormalizedBox Box,
    TimeSpan Deadline,
    int MaxLongSide,
    int Quality,
    ISinkRef<LayerChunk> Sink) : IQueryMessage;

using Akka.Streams;
using CollabVlm.Primitives;

namespace CollabVlm.Messages;

/// <summary>
/// Server → edge: "send me the region <paramref name="Box"/> of the original frame". The server
/// allocated <paramref name="Sink"/>; the edge pushes the local image into it as
/// <see cref="LayerChunk"/>s, as progressive layers (coarse first). <paramref name="MaxLongSide"/> and
/// <paramref name="Quality"/> are upper bounds on the crop's resolution and JPEG quality;
/// <paramref name="MaxBytes"/> is the most the server will hold for it; <paramref name="Deadline"/>
/// is the time left for the whole transfer. Within those bounds the edge sizes the layers to what
/// its link estimate says will arrive in time. <paramref name="Relevance"/> is the server's relevance
/// map shrunk to a few hundred bytes: an edge that scanned its full frame for text ranks what it found
/// by it before cutting the region; null when the server sent none.
/// </summary>
public sealed record RoiRequest(
    QueryId QueryId,
    NormalizedBox Box,
    TimeSpan Deadline,
    int MaxLongSide,
    int Quality,
    long MaxBytes,
    ISinkRef<LayerChunk> Sink,
    CoarseRelevance? Relevance = null) : IQueryMessage;

using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// One strategy's answer to one question: the text (null when the query failed), bytes the edge
/// sent, model time on the server, end-to-end latency (cluster mode: as the asker saw it), whether
/// it retransmitted, the RoI it asked for, and the failure reason if any.
/// </summary>
public sealed record PassResult(
    string? Answer,
    long GlobalBytes,
    long LocalBytes,
    double ModelMs,
    double LatencyMs,
    bool Retransmitted,
    NormalizedBox? Roi = null,
    string? Failure = null,
    AnswerStage? Stage = null)
{
    /// <summary>Bytes of the server's coarse relevance map sent with the region request (edge-proposal passes).</summary>
    public int HintBytes { get; init; }

    /// <summary>The edge's full-frame text scan for this question, ms (edge-proposal passes; in the cluster, as it stood when the region was cut).</summary>
    public double? EdgeMs { get; init; }

    /// <summary>Tiles the edge's scan had covered when the region was cut, and the tiles of the whole frame (cluster passes with proposals).</summary>
    public int? EdgeTilesDone { get; init; }

    public int? EdgeTilesPlanned { get; init; }

    /// <summary>The other parts of the frame the local image showed beside <see cref="Roi"/> (the edge's runners-up); null when none.</summary>
    public IReadOnlyList<NormalizedBox>? RunnersUp { get; init; }

    /// <summary>
    /// In-process passes: the time the bytes sent would take on the run's link plus one round trip,
    /// ms; added to <see cref="LatencyMs"/> (compute only) it models the latency at that link.
    /// </summary>
    public double? TransferMs { get; init; }
}

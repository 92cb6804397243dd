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
    AnswerStage? Stage = null);

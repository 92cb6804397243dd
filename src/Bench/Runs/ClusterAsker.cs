using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// Cluster mode: asks an <see cref="EdgeDevice"/> (edge node → server node over TCP through the
/// actors) with a retransmission policy and turns its <see cref="QueryOutcome"/> into a
/// <see cref="PassResult"/>. Latency is what the asker saw, end to end; with the edge proposing regions, the
/// RoI is the region the edge cut (snapped onto its scan) and the scan's time is reported too.
/// </summary>
public sealed class ClusterAsker(IReadOnlyList<IActorRef> devices, TimeSpan deadline)
{
    private int _next;

    public async Task<PassResult> AskAsync(byte[] frame, string question, RetransmitPolicy policy, double? threshold, CancellationToken cancellationToken)
    {
        var device = devices[_next++ % devices.Count];
        // The edge's own bound (deadline + grace + attempts) ends every query; this outer timeout only
        // guards against a device that never replies at all.
        var outcome = await device.Ask<QueryOutcome>(new AskQuestion(frame, question, new QueryOptions(deadline, policy, threshold)),
            deadline * 4 + TimeSpan.FromSeconds(30), cancellationToken);
        if (outcome.Answered is not { } answered)
            return new PassResult(null, 0, 0, 0, outcome.Elapsed.TotalMilliseconds, false, Failure: $"{outcome.Failed?.Reason}: {outcome.Failed?.Message}");
        var a = answered.Answer;
        return new PassResult(a.Text, a.BytesGlobal, a.BytesLocal, a.Timings.GlobalInferenceMs + a.Timings.RefinedInferenceMs,
            outcome.Elapsed.TotalMilliseconds, a.Stage is AnswerStage.Refined || a.BytesLocal > 0, a.Roi, a.DegradedReason, a.Stage)
        {
            EdgeMs = outcome.EdgeScan?.Elapsed.TotalMilliseconds,
            EdgeTilesDone = outcome.EdgeScan?.TilesDone,
            EdgeTilesPlanned = outcome.EdgeScan?.TilesPlanned,
            RunnersUp = a.RunnersUp,
        };
    }
}

using System.Text.Json.Serialization;
using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Demo;

/// <summary>The demo's totals; the JSON names are the ones the README and the issue promise.</summary>
public sealed record DemoTotals(
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("answered")] int Answered,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("accuracy_global_only")] double AccuracyGlobalOnly,
    [property: JsonPropertyName("accuracy_always_retransmit")] double AccuracyAlwaysRetransmit,
    [property: JsonPropertyName("accuracy_gated")] double AccuracyGated,
    [property: JsonPropertyName("extra_cost_gated")] double ExtraCostGated,
    [property: JsonPropertyName("extra_cost_always_retransmit")] double ExtraCostAlwaysRetransmit,
    [property: JsonPropertyName("retransmission_share_gated")] double RetransmissionShareGated,
    [property: JsonPropertyName("retransmissions_gated")] int RetransmissionsGated,
    [property: JsonPropertyName("degraded")] int Degraded,
    [property: JsonPropertyName("bytes_global")] long BytesGlobal,
    [property: JsonPropertyName("bytes_local_gated")] long BytesLocalGated,
    [property: JsonPropertyName("bytes_local_always_retransmit")] long BytesLocalAlways,
    [property: JsonPropertyName("bytes_full_frames")] long BytesFullFrames,
    [property: JsonPropertyName("latency_gated_p50_ms")] double LatencyGatedP50Ms,
    [property: JsonPropertyName("latency_gated_p95_ms")] double LatencyGatedP95Ms)
{
    public static DemoTotals From(IReadOnlyList<DemoRow> rows, double threshold)
    {
        var all = rows.SelectMany(r => r.Outcomes.Select(o => o.Outcome)).ToList();
        double Accuracy(Func<DemoRow, QueryOutcome> pick) => rows.Count == 0 ? 0 : rows.Count(r => DemoRow.IsRight(pick(r), r.Frame)) / (double)rows.Count;
        // Extra cost is measured against the global images of the same strategy's queries.
        var global = rows.Sum(r => DemoRow.GlobalBytes(r.Gated));
        var localGated = rows.Sum(r => DemoRow.LocalBytes(r.Gated));
        var globalAlways = rows.Sum(r => DemoRow.GlobalBytes(r.Always));
        var localAlways = rows.Sum(r => DemoRow.LocalBytes(r.Always));
        var latencies = rows.Select(r => r.Gated.Elapsed.TotalMilliseconds).Order().ToList();
        return new DemoTotals(all.Count, all.Count(o => o.IsAnswered), all.Count(o => !o.IsAnswered), rows.Count, threshold,
            Accuracy(r => r.GlobalOnly), Accuracy(r => r.Always), Accuracy(r => r.Gated),
            ExtraCost.Of(global, localGated), ExtraCost.Of(globalAlways, localAlways),
            ExtraCost.RetransmissionShare(localGated, localAlways),
            rows.Count(r => r.Gated.Answered?.Answer.Stage is AnswerStage.Refined or AnswerStage.Degraded),
            all.Count(o => o.Answered?.Answer.Stage == AnswerStage.Degraded),
            global, localGated, localAlways, rows.Sum(r => (long)r.Frame.Jpeg.Length),
            Percentiles.NearestRank(latencies, 0.5), Percentiles.NearestRank(latencies, 0.95));
    }
}

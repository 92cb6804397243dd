using System.Diagnostics.Metrics;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.Primitives;

namespace CollabVlm.NodeDefaults.Tests.Telemetry;

/// <summary>What the metrics class records from results, and the bound on per-device link series.</summary>
public sealed class CollabVlmMetricsTests
{
    [Fact]
    public void A_refined_answer_records_stage_decision_bytes_uncertainty_and_the_stages_that_ran()
    {
        using var metrics = new CollabVlmMetrics();
        var answer = new Answer("NO PARKING", AnswerStage.Refined, 0.01, 2.5, 0.35, 9_000, 120_000, 1, null, null,
            new StageTimings(GlobalInferenceMs: 200, RoiToFirstChunkMs: 30, LocalTransferMs: 50, RefinedInferenceMs: 0, ServerTotalMs: 600));
        var seen = Measure(metrics, () => metrics.RecordFinished(new QueryAnswered(QueryId.New(), answer)));

        Assert.Contains(("collabvlm.queries.answered", 1.0, "stage=refined"), seen);
        Assert.Contains(("collabvlm.retransmit.decisions", 1.0, "decision=retransmit"), seen);
        Assert.Contains(("collabvlm.query.upload.size", 9_000.0, "image=global"), seen);
        Assert.Contains(("collabvlm.query.upload.size", 120_000.0, "image=local"), seen);
        Assert.Contains(("collabvlm.query.global_uncertainty", 2.5, ""), seen);
        Assert.Contains(("collabvlm.query.stage.duration", 0.2, "stage=global_inference"), seen);
        Assert.Contains(("collabvlm.query.stage.duration", 0.6, "stage=end_to_end"), seen);
        Assert.DoesNotContain(seen, m => m.Tags == "stage=refined_inference");
    }

    [Fact]
    public void A_failure_is_counted_by_its_reason_in_snake_case()
    {
        using var metrics = new CollabVlmMetrics();
        var seen = Measure(metrics, () => metrics.RecordFinished(new QueryFailed(QueryId.New(), FailureReason.InvalidImage, "truncated")));
        Assert.Equal([("collabvlm.queries.failed", 1.0, "reason=invalid_image")], seen.Where(m => m.Name.StartsWith("collabvlm.queries", StringComparison.Ordinal)));
    }

    [Fact]
    public void Link_series_are_bounded_per_node_and_the_rest_are_counted()
    {
        using var metrics = new CollabVlmMetrics(maxLinkDevices: 3);
        for (var i = 0; i < 5; i++) metrics.RecordLinkView(new EdgeId($"cam-{i}"), new LinkView(1_000 * (i + 1), TimeSpan.FromMilliseconds(20), 0.5));
        metrics.RecordLinkView(new EdgeId("cam-0"), new LinkView(7_777, TimeSpan.FromMilliseconds(20), 0.9));

        var seen = Measure(metrics, () => { });
        var throughput = seen.Where(m => m.Name == "collabvlm.edge.link.throughput").ToList();
        Assert.Equal(3, throughput.Count);
        Assert.Contains(("collabvlm.edge.link.throughput", 7_777.0, "edge=cam-0"), throughput);
        Assert.DoesNotContain(throughput, m => m.Tags == "edge=cam-4");
        Assert.Contains(("collabvlm.edge.link.unlabelled", 2.0, ""), seen);
    }

    [Fact]
    public void Queue_depth_and_in_flight_gauges_report_the_last_value_set_and_nothing_before()
    {
        using var metrics = new CollabVlmMetrics();
        Assert.DoesNotContain(Measure(metrics, () => { }), m => m.Name is "collabvlm.inference.queue.depth" or "collabvlm.coordinators.active" or "collabvlm.edge.link.unlabelled");
        metrics.SetQueueDepth(5);
        metrics.SetCoordinatorsInFlight(3);
        metrics.SetQueueDepth(2);
        var seen = Measure(metrics, () => { });
        Assert.Contains(("collabvlm.inference.queue.depth", 2.0, ""), seen);
        Assert.Contains(("collabvlm.coordinators.active", 3.0, ""), seen);
    }

    /// <summary>Runs <paramref name="act"/>, then collects the observable gauges; returns (instrument, value, "k=v,…").</summary>
    private static List<(string Name, double Value, string Tags)> Measure(CollabVlmMetrics metrics, Action act)
    {
        var seen = new List<(string, double, string)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter)) l.EnableMeasurementEvents(instrument);
            },
        };
        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            seen.Add((i.Name, Math.Round(v, 6), string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.Start();
        act();
        listener.RecordObservableInstruments();
        return seen;
    }
}

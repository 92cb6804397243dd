using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.NodeDefaults.Telemetry;

/// <summary>
/// Every instrument of a node, on one <see cref="Meter"/> named <see cref="MeterName"/> (docs/operations.md, "Metrics").
/// Names are lower-case and dotted with UCUM units; the Prometheus exporter turns
/// <c>collabvlm.query.stage.duration</c> (unit <c>s</c>) into <c>collabvlm_query_stage_duration_seconds</c>.
/// Actors call the <c>Record…</c>/<c>Set…</c> methods where results pass anyway; gauges are observed at scrape time.
/// </summary>
public sealed class CollabVlmMetrics : IDisposable
{
    public const string MeterName = "CollabVlm";

    /// <summary>
    /// Per-device link series per node. A node may simulate hundreds of cameras; one series per device
    /// and gauge would make Prometheus' cost grow with the fleet while no dashboard can show more than
    /// a few dozen lines. The first devices seen keep their own <c>edge</c> label; later ones are left
    /// out of the per-device gauges and only counted in <c>collabvlm.edge.link.unlabelled</c>.
    /// </summary>
    public const int DefaultMaxLinkDevices = 32;

    /// <summary>Upper bound on distinct devices remembered as unlabelled (memory bound; the count saturates there).</summary>
    public const int MaxUnlabelledDevicesTracked = 10_000;

    /// <summary>Seconds: model passes take 50 ms–5 s on a CPU, transfers over thin links up to the 30 s deadline.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

    /// <summary>Bytes: global images are 5–90 KB, local crops up to the 8 MiB cap.</summary>
    public static IReadOnlyList<double> ByteBuckets { get; } = [1_024, 4_096, 16_384, 32_768, 65_536, 131_072, 262_144, 524_288, 1_048_576, 2_097_152, 4_194_304, 8_388_608];

    /// <summary>Bits of mean min-entropy: η is typically 0.1–1 bit; an empty reading is log2(6625) ≈ 12.7.</summary>
    public static IReadOnlyList<double> UncertaintyBuckets { get; } = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13];

    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _answered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _edgeQueries;
    private readonly Histogram<long> _uploadBytes;
    private readonly Histogram<double> _stageSeconds;
    private readonly Histogram<double> _globalUncertainty;
    private readonly ConcurrentDictionary<EdgeId, LinkView> _links = new();
    private readonly ConcurrentDictionary<EdgeId, byte> _unlabelled = new();
    private readonly int _maxLinkDevices;
    private readonly Lock _linkGate = new();
    // -1 = not set: an edge node has no scheduler or gateway, and should not export their gauges as zeros.
    private int _queueDepth = -1;
    private int _inFlight = -1;
    // Seconds as bits of a double, NaN = not set (an edge node exports neither).
    private long _predictedWait = BitConverter.DoubleToInt64Bits(double.NaN);
    private long _serviceTime = BitConverter.DoubleToInt64Bits(double.NaN);
    private ActorSystem? _clusterSystem;

    public CollabVlmMetrics(int maxLinkDevices = DefaultMaxLinkDevices)
    {
        if (maxLinkDevices < 0) throw new ArgumentOutOfRangeException(nameof(maxLinkDevices), "must be ≥ 0");
        _maxLinkDevices = maxLinkDevices;
        _meter = new Meter(MeterName);
        _submitted = _meter.CreateCounter<long>("collabvlm.queries.submitted", "{query}", "New queries a server received (duplicates of a running or finished query not counted)");
        _answered = _meter.CreateCounter<long>("collabvlm.queries.answered", "{query}", "Queries answered, by the stage that produced the answer (global, refined, degraded)");
        _failed = _meter.CreateCounter<long>("collabvlm.queries.failed", "{query}", "Queries that ended without an answer, by failure reason");
        _decisions = _meter.CreateCounter<long>("collabvlm.retransmit.decisions", "{query}", "Gate decisions on answered queries: retransmit (a local image was asked for) or final");
        _refused = _meter.CreateCounter<long>("collabvlm.queries.refused", "{query}", "Queries a server refused at admission, at once: predicted_wait (its model could not reach it before the deadline), in_flight_limit, shutting_down");
        _edgeQueries = _meter.CreateCounter<long>("collabvlm.edge.queries", "{query}", "Outcomes of the questions this edge node's cameras asked: answered_global, answered_refined, answered_degraded, failed_<reason>");
        _meter.CreateObservableGauge("collabvlm.inference.predicted_wait", () => IfSet(ref _predictedWait), "s", "How long a new query would wait for this server's model: jobs ahead × recent service time (what admission and the edges' routing use)");
        _meter.CreateObservableGauge("collabvlm.inference.service_time", () => IfSet(ref _serviceTime), "s", "Recent time of one model call on this server (exponentially weighted mean)");
        _uploadBytes = _meter.CreateHistogram("collabvlm.query.upload.size", "By", "Image bytes the edge sent per answered query, by image (global, local)",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = ByteBuckets.Select(b => (long)b).ToArray() });
        _stageSeconds = _meter.CreateHistogram("collabvlm.query.stage.duration", "s", "Server-side time per stage of answered queries (stages that ran only)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _globalUncertainty = _meter.CreateHistogram("collabvlm.query.global_uncertainty", "bit", "Uncertainty of the global answer, the value the gate compares with η",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = UncertaintyBuckets });
        _meter.CreateObservableGauge("collabvlm.inference.queue.depth", () => IfSet(ref _queueDepth), "{job}", "Model jobs waiting for the model on this node (the running one excluded)");
        _meter.CreateObservableGauge("collabvlm.coordinators.active", () => IfSet(ref _inFlight), "{query}", "Queries in flight on this server (one coordinator each)");
        _meter.CreateObservableGauge("collabvlm.cluster.members", ObserveMembers, "{member}", "Cluster members seen by this node, by role and status");
        _meter.CreateObservableGauge("collabvlm.edge.link.throughput", () => ObserveLinks(v => v.BytesPerSecond), "By/s", "Each edge device's estimate of its uplink throughput");
        _meter.CreateObservableGauge("collabvlm.edge.link.rtt", () => ObserveLinks(v => v.RoundTrip.TotalSeconds), "s", "Each edge device's estimate of its uplink round-trip time");
        _meter.CreateObservableGauge("collabvlm.edge.link.confidence", () => ObserveLinks(v => v.Confidence), "1", "How much each edge device trusts its link estimate (0 = nothing observed, 1 = many consistent samples)");
        _meter.CreateObservableGauge("collabvlm.edge.link.unlabelled", () => _links.IsEmpty ? [] : new[] { new Measurement<int>(_unlabelled.Count) }, "{device}", $"Devices on this node beyond the per-node bound of link series (default {DefaultMaxLinkDevices})");
    }

    /// <summary>The meter (for listeners in tests that must tell this instance's instruments from others in the process).</summary>
    public Meter Meter => _meter;

    public int MaxLinkDevices => _maxLinkDevices;

    /// <summary>A server received a query it had not seen before.</summary>
    public void RecordSubmitted() => _submitted.Add(1);

    /// <summary>A query ended before any coordinator ran (refused input, busy).</summary>
    public void RecordRefused(FailureReason reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));

    /// <summary>A server refused a query at admission; <paramref name="reason"/> is predicted_wait, in_flight_limit or shutting_down.</summary>
    public void RecordAdmissionRefused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>This server's predicted wait for a new query and its recent service time.</summary>
    public void SetPredictedWait(TimeSpan wait, TimeSpan serviceTime)
    {
        Interlocked.Exchange(ref _predictedWait, BitConverter.DoubleToInt64Bits(wait.TotalSeconds));
        Interlocked.Exchange(ref _serviceTime, BitConverter.DoubleToInt64Bits(serviceTime.TotalSeconds));
    }

    /// <summary>One question of this edge node ended: answered at <paramref name="stage"/>, or failed for <paramref name="reason"/>.</summary>
    public void RecordEdgeOutcome(AnswerStage? stage, FailureReason? reason) => _edgeQueries.Add(1, new KeyValuePair<string, object?>("outcome", EdgeOutcomeLabel(stage, reason)));

    /// <summary>The edge outcome label: <c>answered_global</c>, <c>answered_refined</c>, <c>answered_degraded</c>, <c>failed_busy</c>, <c>failed_timeout</c>, …</summary>
    public static string EdgeOutcomeLabel(AnswerStage? stage, FailureReason? reason) =>
        stage is { } s ? $"answered_{s.ToString().ToLowerInvariant()}" : $"failed_{ReasonLabel(reason ?? FailureReason.Internal)}";

    /// <summary>Every edge outcome label at zero, so the edge's rates exist from the first scrape.</summary>
    public void InitializeEdgeSeries()
    {
        foreach (var stage in Enum.GetValues<AnswerStage>()) RecordEdgeOutcomeZero(EdgeOutcomeLabel(stage, null));
        foreach (var reason in Enum.GetValues<FailureReason>()) RecordEdgeOutcomeZero(EdgeOutcomeLabel(null, reason));
    }

    private void RecordEdgeOutcomeZero(string label) => _edgeQueries.Add(0, new KeyValuePair<string, object?>("outcome", label));

    /// <summary>A coordinator's one final result: an answer with its bytes and timings, or a failure.</summary>
    public void RecordFinished(IQueryMessage result)
    {
        switch (result)
        {
            case QueryAnswered { Answer: var answer }:
                RecordAnswer(answer);
                break;
            case QueryFailed failed:
                RecordRefused(failed.Reason);
                break;
        }
    }

    /// <summary>
    /// Creates every label value of the server's counters at zero, so rates and ratios exist from the first
    /// scrape instead of appearing only after the first event of each kind (Prometheus practice for known label sets).
    /// </summary>
    public void InitializeServerSeries()
    {
        _submitted.Add(0);
        foreach (var stage in Enum.GetValues<AnswerStage>()) _answered.Add(0, new KeyValuePair<string, object?>("stage", stage.ToString().ToLowerInvariant()));
        foreach (var reason in Enum.GetValues<FailureReason>()) _failed.Add(0, new KeyValuePair<string, object?>("reason", ReasonLabel(reason)));
        foreach (var decision in new[] { "final", "retransmit" }) _decisions.Add(0, new KeyValuePair<string, object?>("decision", decision));
        foreach (var reason in new[] { "predicted_wait", "in_flight_limit", "shutting_down" }) _refused.Add(0, new KeyValuePair<string, object?>("reason", reason));
        SetQueueDepth(0);
        SetCoordinatorsInFlight(0);
    }

    /// <summary>Jobs waiting in this node's inference queue.</summary>
    public void SetQueueDepth(int waiting) => Volatile.Write(ref _queueDepth, waiting);

    /// <summary>Queries in flight on this node's gateway.</summary>
    public void SetCoordinatorsInFlight(int count) => Volatile.Write(ref _inFlight, count);

    /// <summary>Observe cluster membership of <paramref name="system"/> at scrape time.</summary>
    public void ObserveCluster(ActorSystem system) => _clusterSystem = system;

    /// <summary>
    /// An edge device's current belief about its uplink. Only the first <see cref="MaxLinkDevices"/> devices of this
    /// node get their own series (see <see cref="DefaultMaxLinkDevices"/> for why); the others are counted only.
    /// </summary>
    public void RecordLinkView(EdgeId edge, LinkView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_links.ContainsKey(edge))
        {
            _links[edge] = view;
            return;
        }
        lock (_linkGate)
        {
            if (_links.Count < _maxLinkDevices) _links[edge] = view;
            else if (_unlabelled.Count < MaxUnlabelledDevicesTracked) _unlabelled.TryAdd(edge, 0);
        }
    }

    private void RecordAnswer(Answer answer)
    {
        var stage = new KeyValuePair<string, object?>("stage", answer.Stage.ToString().ToLowerInvariant());
        _answered.Add(1, stage);
        // Refined and Degraded both mean the gate asked for a local image (Degraded: it did not arrive in time).
        _decisions.Add(1, new KeyValuePair<string, object?>("decision", answer.Stage == AnswerStage.Global ? "final" : "retransmit"));
        _uploadBytes.Record(answer.BytesGlobal, new KeyValuePair<string, object?>("image", "global"));
        if (answer.BytesLocal > 0) _uploadBytes.Record(answer.BytesLocal, new KeyValuePair<string, object?>("image", "local"));
        _globalUncertainty.Record(answer.GlobalUncertainty);
        var t = answer.Timings;
        RecordStage("global_inference", t.GlobalInferenceMs);
        RecordStage("roi_to_first_chunk", t.RoiToFirstChunkMs);
        RecordStage("local_transfer", t.LocalTransferMs);
        RecordStage("refined_inference", t.RefinedInferenceMs);
        RecordStage("end_to_end", t.ServerTotalMs);
    }

    private void RecordStage(string stage, double milliseconds)
    {
        if (milliseconds > 0) _stageSeconds.Record(milliseconds / 1000.0, new KeyValuePair<string, object?>("stage", stage));
    }

    /// <summary>Stable label values: <c>InvalidImage</c> → <c>invalid_image</c>.</summary>
    public static string ReasonLabel(FailureReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private IEnumerable<Measurement<int>> ObserveMembers()
    {
        if (_clusterSystem is not { WhenTerminated.IsCompleted: false } system) return [];
        var members = Cluster.Get(system).State.Members;
        return members
            .SelectMany(m => m.Roles.Select(role => (Role: role, Status: m.Status.ToString().ToLowerInvariant())))
            .GroupBy(x => x)
            .Select(g => new Measurement<int>(g.Count(),
                new KeyValuePair<string, object?>("role", g.Key.Role), new KeyValuePair<string, object?>("status", g.Key.Status)))
            .ToList();
    }

    private static IEnumerable<Measurement<int>> IfSet(ref int value)
    {
        var current = Volatile.Read(ref value);
        return current < 0 ? [] : [new Measurement<int>(current)];
    }

    private static IEnumerable<Measurement<double>> IfSet(ref long bits)
    {
        var current = BitConverter.Int64BitsToDouble(Interlocked.Read(ref bits));
        return double.IsNaN(current) ? [] : [new Measurement<double>(current)];
    }

    private IEnumerable<Measurement<double>> ObserveLinks(Func<LinkView, double> value) =>
        _links.Select(kv => new Measurement<double>(value(kv.Value), new KeyValuePair<string, object?>("edge", kv.Key.Value))).ToList();

    public void Dispose() => _meter.Dispose();
}

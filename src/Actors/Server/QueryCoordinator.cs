using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// One query's two-stage state machine: global pass → gate → (RoI request → progressive local layers
/// → refined pass). Every state has a timeout. It always ends with exactly one
/// <see cref="QueryAnswered"/> or <see cref="QueryFailed"/>, sent to every edge that submitted the
/// query and to the gateway (its parent) in a <see cref="CoordinatorFinished"/>, then stops.
/// When the local stage yields nothing usable the global answer is returned, marked
/// <see cref="AnswerStage.Degraded"/>.
/// <para>
/// Local layers arrive through a <see cref="StreamRefs.SinkRef{T}"/> into this actor with an
/// acknowledgement per chunk, so demand flows back to the edge and nothing queues unbounded. With
/// <see cref="RefineOn.Last"/> the refined pass runs once, on every complete layer there is when the
/// stream ends or its deadline comes; with <see cref="RefineOn.EachLayer"/> it runs after each layer
/// and stops the stream as soon as a pass is sure enough (uncertainty ≤ η).
/// </para>
/// </summary>
public sealed class QueryCoordinator : ReceiveActor, IWithTimers
{
    private sealed record StageTimeout(string Stage);
    private sealed record SinkReady(ISinkRef<LayerChunk> Sink);
    private sealed record SinkFailed(string Reason);
    private sealed record StreamStarted;
    private sealed record StreamAck;
    private sealed record StreamEnded;
    private sealed record StreamFailed(Exception Cause);
    private sealed record Refined(ModelOutput Output, double Uncertainty, int Layers);
    private sealed record RetryBudget
    {
        public static RetryBudget Instance { get; } = new();
    }

    private static readonly TimeSpan BudgetRetryInterval = TimeSpan.FromMilliseconds(25);

    private static readonly StreamAck Ack = new();

    private readonly SubmitQuery _query;
    private readonly IActorRef _scheduler;
    private readonly ServerSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly LocalByteBudget _budget;
    private readonly HashSet<IActorRef> _askers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DateTime _deadline;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly double _threshold;
    private readonly RefineOn _refineOn;

    private ModelOutput? _global;
    private double _globalUncertainty;
    private double _globalInferenceMs;
    private NormalizedBox? _roi;
    private long _roiRequestedAt;
    private DateTime _transferDeadline;
    private long _streamEndedAt;
    private long _refineStartedAt;
    private double _refinedMs;
    private UniqueKillSwitch? _localStream;
    private LocalLayerCollector? _layers;
    private LocalImagePlan? _plan;
    private long _reserved;
    private bool _streamOver;
    private int _refiningLayers;
    private int _triedLayers;
    private Refined? _best;
    private string? _localProblem;

    public ITimerScheduler Timers { get; set; } = null!;

    public QueryCoordinator(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget)
    {
        _query = query;
        _scheduler = scheduler;
        _settings = settings;
        _materializer = materializer;
        _budget = budget;
        _askers.Add(edge);
        _deadline = DateTime.UtcNow + query.Options.Deadline;
        _threshold = query.Options.Threshold ?? settings.Threshold;
        _refineOn = query.Options.RefineOn ?? settings.RefineOn;
        AwaitingGlobal();
    }

    public static Props Props(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget) =>
        Akka.Actor.Props.Create(() => new QueryCoordinator(query, edge, scheduler, settings, materializer, budget));

    protected override void PreStart()
    {
        foreach (var asker in _askers) asker.Tell(new QueryAccepted(_query.QueryId));
        _scheduler.Tell(new Run(_query.QueryId, new ModelInput(_query.Question, _query.Global.Jpeg), _deadline));
        StartTimer("global inference", Min(_settings.GlobalInferenceTimeout, Remaining()));
    }

    protected override void PostStop()
    {
        _localStream?.Abort(new OperationCanceledException("query coordinator stopped"));
        _budget.Release(_reserved, _layers?.BytesReceived ?? 0);
    }

    private void AwaitingGlobal()
    {
        ReceiveDuplicates();
        Receive<Completed>(c => c.QueryId == _query.QueryId, OnGlobalAnswer);
        Receive<Failed>(f => f.QueryId == _query.QueryId, f => Fail(f.Reason, $"global pass: {f.Message}"));
        Receive<StageTimeout>(t => Fail(FailureReason.Timeout, $"{t.Stage} took longer than its timeout"));
    }

    private void OnGlobalAnswer(Completed completed)
    {
        _global = completed.Output;
        _globalInferenceMs = ElapsedMs(_started);
        _globalUncertainty = UncertaintyScore.Score(_global.Tokens, _settings.Uncertainty, _global.VocabularySize);
        if (!RetransmitDecision.ShouldRetransmit(_query.Options.Policy, _globalUncertainty, _threshold))
        {
            Answer(AnswerStage.Global, _global, _globalUncertainty, layers: 0, degradedReason: null);
            return;
        }

        _transferDeadline = DateTime.UtcNow + TransferTime();
        Timers.Cancel("stage");
        StartTimer("local image", _transferDeadline - DateTime.UtcNow);
        if (!TryStartLocal())
        {
            // Other queries hold the node's local-image bytes: wait (bounded by the transfer time) for some to free up.
            Timers.StartPeriodicTimer("budget", RetryBudget.Instance, BudgetRetryInterval);
            Become(AwaitingBudget);
        }
    }

    private void AwaitingBudget()
    {
        ReceiveDuplicates();
        Receive<RetryBudget>(_ =>
        {
            if (!TryStartLocal()) return;
            Timers.Cancel("budget");
        });
        Receive<StageTimeout>(_ => Degrade($"this server's {_budget.Capacity} bytes for local images stayed taken by other queries until the transfer time ran out"));
    }

    /// <summary>Reserves bytes for the local image and opens its stream; false when the node's budget has too little free.</summary>
    private bool TryStartLocal()
    {
        _reserved = _budget.TryReserve(_settings.MaxLocalBytes, _settings.MinLocalBytes);
        if (_reserved == 0) return false;
        _layers = new LocalLayerCollector(_reserved);
        _roi ??= RoiSelector.Select(_global!.Relevance,
            RoiSelector.BaseFraction(_settings.LocalBasePixels, _query.Global.OriginalWidth, _query.Global.OriginalHeight));
        _roiRequestedAt = Stopwatch.GetTimestamp();

        // Each chunk reaches this actor as a message and the next is demanded only when it is
        // acknowledged: back-pressure from here to the edge, with the SinkRef's small buffer between.
        var (sinkRef, killSwitch) = StreamRefs.SinkRef<LayerChunk>()
            .ViaMaterialized(KillSwitches.Single<LayerChunk>(), Keep.Both)
            .To(Sink.ActorRefWithAck<LayerChunk>(Self, new StreamStarted(), Ack, new StreamEnded(), e => new StreamFailed(e)))
            .Run(_materializer);
        _localStream = killSwitch;
        sinkRef.PipeTo(Self, success: s => new SinkReady(s), failure: e => new SinkFailed($"could not open the local stream: {Describe(e)}"));
        Become(AwaitingLocal);
        return true;
    }

    private void AwaitingLocal()
    {
        ReceiveDuplicates();
        Receive<SinkReady>(ready =>
        {
            var left = _transferDeadline - DateTime.UtcNow;
            var request = new RoiRequest(_query.QueryId, _roi!, left > TimeSpan.Zero ? left : TimeSpan.Zero, _settings.LocalMaxLongSide, _settings.LocalJpegQuality, _reserved, ready.Sink);
            foreach (var asker in _askers) asker.Tell(request);
        });
        Receive<SinkFailed>(f => Degrade(f.Reason));
        Receive<RoiDeclined>(d => d.QueryId == _query.QueryId, d =>
        {
            if (_layers!.Layers == 0) Degrade($"the edge declined the region request: {d.Reason}");
        });
        Receive<LocalImagePlan>(p => p.QueryId == _query.QueryId, p => _plan = p);
        Receive<StreamStarted>(_ => Sender.Tell(Ack));
        Receive<LayerChunk>(OnChunk);
        // Stopping the stream early ends it here first (EndStream), so a StreamEnded that gets through means every layer arrived.
        Receive<StreamEnded>(_ => EndStream(complete: true, problem: null));
        Receive<StreamFailed>(f => EndStream(complete: false, problem: $"the local image stream failed: {Describe(f.Cause)}"));
        Receive<Completed>(c => c.QueryId == _query.QueryId, OnRefined);
        Receive<Failed>(f => f.QueryId == _query.QueryId, f =>
        {
            _refiningLayers = 0;
            _localProblem = $"refined pass: {f.Message}";
            _log.Info("query {0}: {1}", _query.QueryId, _localProblem);
            if (_streamOver) FinishLocal();
            else if (_refineOn == RefineOn.EachLayer) MaybeRefine();
        });
        Receive<StageTimeout>(t =>
        {
            if (!_streamOver)
            {
                // The transfer's time is up: refine on the complete layers there are.
                _localStream?.Shutdown();
                EndStream(complete: false, problem: _layers!.Layers == 0 ? $"no complete layer of the local image arrived within the {t.Stage} time" : null);
                return;
            }
            _localProblem ??= $"the {t.Stage} took longer than its timeout";
            if (_best is not null) AnswerRefined(_best);
            else Degrade(_localProblem);
        });
    }

    private void OnChunk(LayerChunk chunk)
    {
        var sender = Sender;
        if (_streamOver) return; // after the deadline or an early stop: late elements are not used
        bool layerDone;
        try
        {
            layerDone = _layers!.Add(chunk);
        }
        catch (InvalidDataException e)
        {
            _localStream?.Abort(e);
            EndStream(complete: false, problem: $"the edge broke the local stream: {e.Message}");
            return;
        }
        _budget.AddHeld(chunk.Bytes.Length);
        sender.Tell(Ack);
        if (layerDone && _refineOn == RefineOn.EachLayer) MaybeRefine();
    }

    private void EndStream(bool complete, string? problem)
    {
        if (_streamOver) return;
        _streamOver = true;
        _localStream = null;
        _streamEndedAt = Stopwatch.GetTimestamp();
        if (problem is not null) _localProblem = problem;
        foreach (var asker in _askers)
            asker.Tell(new LocalImageReceived(_query.QueryId, _layers!.BytesReceived, _layers.Layers, complete && problem is null));
        Timers.Cancel("stage");
        StartTimer("refined inference", _settings.RefinedInferenceTimeout);
        FinishLocal();
    }

    /// <summary>After the stream is over: refine on the layers not yet seen, or answer with what there is.</summary>
    private void FinishLocal()
    {
        if (_refiningLayers > 0) return; // its result decides
        if (_layers!.Layers > _triedLayers)
        {
            MaybeRefine();
            return;
        }
        if (_best is not null) AnswerRefined(_best);
        else Degrade(_localProblem ?? "the edge closed the local stream without sending a complete layer");
    }

    private void MaybeRefine()
    {
        if (_refiningLayers > 0 || _layers!.Layers <= _triedLayers) return;
        _refiningLayers = _triedLayers = _layers.Layers;
        _refineStartedAt = Stopwatch.GetTimestamp();
        _scheduler.Tell(new Run(_query.QueryId, new ModelInput(_query.Question, _query.Global.Jpeg, _layers.DecodableBytes(), _roi),
            _deadline + _settings.RefinedInferenceTimeout));
    }

    private void OnRefined(Completed c)
    {
        _refinedMs = ElapsedMs(_refineStartedAt);
        var refined = new Refined(c.Output, UncertaintyScore.Score(c.Output.Tokens, _settings.Uncertainty, c.Output.VocabularySize), _refiningLayers);
        _refiningLayers = 0;
        _best = refined;
        if (!_streamOver && refined.Uncertainty <= _threshold)
        {
            // Sure enough on a prefix: stop the stream; the layers not yet sent are saved.
            _localStream?.Shutdown();
            EndStream(complete: false, problem: null);
            return;
        }
        if (_streamOver) FinishLocal();
        else if (_refineOn == RefineOn.EachLayer) MaybeRefine(); // layers that completed while this pass ran
    }

    /// <summary>A re-submission of this query reached the gateway: accept it and answer it too.</summary>
    private void ReceiveDuplicates() => Receive<SubmitQuery>(q =>
    {
        _askers.Add(Sender);
        Sender.Tell(new QueryAccepted(_query.QueryId));
    });

    private void AnswerRefined(Refined refined) =>
        Answer(AnswerStage.Refined, refined.Output, refined.Uncertainty, refined.Layers, degradedReason: null);

    private void Degrade(string reason)
    {
        _log.Info("query {0} degraded: {1}", _query.QueryId, reason);
        Answer(AnswerStage.Degraded, _global!, _globalUncertainty, layers: 0, reason);
    }

    private void Answer(AnswerStage stage, ModelOutput output, double uncertainty, int layers, string? degradedReason)
    {
        var firstChunk = _layers?.FirstChunkTimestamp ?? 0;
        var firstChunkMs = firstChunk > 0 ? Ms(_roiRequestedAt, firstChunk) : 0;
        var transferMs = firstChunk > 0 && _streamEndedAt > 0 ? Ms(firstChunk, _streamEndedAt) : 0;
        var timings = new StageTimings(_globalInferenceMs, firstChunkMs, transferMs, stage == AnswerStage.Refined ? _refinedMs : 0, ElapsedMs(_started));
        var answer = new Answer(output.Answer, stage, uncertainty, _globalUncertainty, _threshold,
            _query.Global.Jpeg.Length, _layers?.BytesReceived ?? 0, layers, _roi, degradedReason, timings,
            GlobalQuality: _query.Global.Quality, LayersPlanned: _plan?.Layers ?? 0, BytesLocalPlanned: _plan?.TotalBytes ?? 0);
        Finish(new QueryAnswered(_query.QueryId, answer));
    }

    private void Fail(FailureReason reason, string message) => Finish(new QueryFailed(_query.QueryId, reason, message));

    private void Finish(IQueryMessage result)
    {
        _localStream?.Shutdown();
        _localStream = null;
        foreach (var asker in _askers) asker.Tell(result);
        Context.Parent.Tell(new CoordinatorFinished(_query.QueryId, result));
        Become(() => { }); // exactly one result: ignore everything from now on
        Context.Stop(Self);
    }

    private void StartTimer(string stage, TimeSpan after) => Timers.StartSingleTimer("stage", new StageTimeout(stage), after);

    /// <summary>Time the edge gets for the whole local transfer: what the deadline leaves after the refined pass's share.</summary>
    private TimeSpan TransferTime() => Min(_settings.LocalStageTimeout, Max(Remaining() - _settings.RefinedPassReserve, TimeSpan.Zero));

    private TimeSpan Remaining() => _deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static double ElapsedMs(long since) => Stopwatch.GetElapsedTime(since).TotalMilliseconds;

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static string Describe(Exception e) => e is AggregateException a ? Describe(a.GetBaseException()) : $"{e.GetType().Name}: {e.Message}";
}

using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Gate;
using CollabVlm.TwoStage.Refinement;
using CollabVlm.TwoStage.Region;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// One query's two stages, as a state per step: <see cref="GlobalPass"/> → gate and region
/// (<see cref="RetransmitGate"/>, <see cref="RegionChoice"/>) → <see cref="ReservingBytes"/> →
/// <see cref="Retransmission"/> (progressive layers stream in) → <see cref="RefinedPass"/>. The local
/// stage's decisions are <see cref="LocalStage"/>'s; this actor does the messaging, the stream and
/// the timers (one in every state). It ends with exactly one <see cref="QueryAnswered"/> or
/// <see cref="QueryFailed"/>, sent to every edge that submitted the query and to the gateway (its
/// parent); when the local stage yields nothing usable, the global answer marked
/// <see cref="AnswerStage.Degraded"/>.
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
    private sealed record RetryBudget;

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
    private readonly double _threshold;
    private readonly LocalStage _stage;
    private readonly QueryTimeline _timeline = new();

    private ModelOutput? _global;
    private GateVerdict _verdict;
    private NormalizedBox? _region;
    private DateTime _transferDeadline;
    private UniqueKillSwitch? _localStream;
    private LocalLayerCollector? _layers;
    private LocalImagePlan? _plan;
    private long _reserved;

    public ITimerScheduler Timers { get; set; } = null!;

    public QueryCoordinator(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget)
    {
        (_query, _scheduler, _settings, _materializer, _budget) = (query, scheduler, settings, materializer, budget);
        _askers.Add(edge);
        _deadline = DateTime.UtcNow + query.Options.Deadline;
        _threshold = query.Options.Threshold ?? settings.Threshold;
        _stage = new LocalStage(_threshold, query.Options.RefineOn ?? settings.RefineOn);
        GlobalPass();
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

    /// <summary>Step 1: the model reads the global image.</summary>
    private void GlobalPass()
    {
        ReceiveDuplicates();
        Receive<Completed>(c => c.QueryId == _query.QueryId, OnGlobalAnswer);
        Receive<Failed>(f => f.QueryId == _query.QueryId, f => Fail(f.Reason, $"global pass: {f.Message}"));
        Receive<StageTimeout>(t => Fail(FailureReason.Timeout, $"{t.Stage} took longer than its timeout"));
    }

    /// <summary>Steps 2 and 3: the gate, and when unsure the region to ask the edge for.</summary>
    private void OnGlobalAnswer(Completed completed)
    {
        _global = completed.Output;
        _timeline.GlobalPassDone();
        _verdict = RetransmitGate.Decide(_global, _settings.Uncertainty, _query.Options.Policy, _threshold);
        if (!_verdict.Retransmit)
        {
            Answer(AnswerStage.Global, _global, _verdict.Uncertainty, layers: 0, degradedReason: null);
            return;
        }
        _region = RegionChoice.For(_global, _settings.LocalBasePixels, _query.Global.OriginalWidth, _query.Global.OriginalHeight);
        _transferDeadline = DateTime.UtcNow + TransferTime();
        StartTimer("local image", _transferDeadline - DateTime.UtcNow);
        if (TryOpenStream()) return;
        // Other queries hold the node's local-image bytes: wait (bounded by the transfer time) for some to free up.
        Timers.StartPeriodicTimer("budget", new RetryBudget(), BudgetRetryInterval);
        Become(ReservingBytes);
    }

    private void ReservingBytes()
    {
        ReceiveDuplicates();
        Receive<RetryBudget>(_ => { if (TryOpenStream()) Timers.Cancel("budget"); });
        Receive<StageTimeout>(_ => Degrade($"this server's {_budget.Capacity} bytes for local images stayed taken by other queries until the transfer time ran out"));
    }

    /// <summary>Reserves bytes for the local image and opens its stream; false when the node's budget has too little free.</summary>
    private bool TryOpenStream()
    {
        _reserved = _budget.TryReserve(_settings.MaxLocalBytes, _settings.MinLocalBytes);
        if (_reserved == 0) return false;
        _layers = new LocalLayerCollector(_reserved);
        _timeline.RegionRequested();
        // Each chunk reaches this actor as a message and the next is demanded only when it is
        // acknowledged: back-pressure from here to the edge, with the SinkRef's small buffer between.
        var (sinkRef, killSwitch) = StreamRefs.SinkRef<LayerChunk>()
            .ViaMaterialized(KillSwitches.Single<LayerChunk>(), Keep.Both)
            .To(Sink.ActorRefWithAck<LayerChunk>(Self, new StreamStarted(), Ack, new StreamEnded(), e => new StreamFailed(e)))
            .Run(_materializer);
        _localStream = killSwitch;
        sinkRef.PipeTo(Self, success: s => new SinkReady(s), failure: e => new SinkFailed($"could not open the local stream: {Describe(e)}"));
        Become(Retransmission);
        return true;
    }

    /// <summary>Step 3 on the wire: the edge streams layers of the region; refined passes may run on complete ones.</summary>
    private void Retransmission()
    {
        ReceiveDuplicates();
        Receive<SinkReady>(ready =>
        {
            var left = _transferDeadline - DateTime.UtcNow;
            var request = new RoiRequest(_query.QueryId, _region!, left > TimeSpan.Zero ? left : TimeSpan.Zero, _settings.LocalMaxLongSide, _settings.LocalJpegQuality, _reserved, ready.Sink);
            foreach (var asker in _askers) asker.Tell(request);
        });
        Receive<SinkFailed>(f => Degrade(f.Reason));
        Receive<RoiDeclined>(d => d.QueryId == _query.QueryId, d => Do(_stage.Declined(d.Reason)));
        Receive<LocalImagePlan>(p => p.QueryId == _query.QueryId, p => _plan = p);
        Receive<StreamStarted>(_ => Sender.Tell(Ack));
        Receive<LayerChunk>(OnChunk);
        // Stopping the stream early ends it here first (EndStream), so a StreamEnded that gets through means every layer arrived.
        Receive<StreamEnded>(_ => EndStream(complete: true, problem: null));
        Receive<StreamFailed>(f => EndStream(complete: false, problem: $"the local image stream failed: {Describe(f.Cause)}"));
        ReceiveRefinedPasses();
        Receive<StageTimeout>(t =>
        {
            // The transfer's time is up: refine on the complete layers there are.
            _localStream?.Shutdown();
            EndStream(complete: false, problem: _stage.CutAtDeadline(t.Stage));
        });
    }

    /// <summary>Step 4: the stream is over; the last refined pass decides.</summary>
    private void RefinedPass()
    {
        ReceiveDuplicates();
        ReceiveRefinedPasses();
        Receive<StageTimeout>(t => Do(_stage.TimedOut(t.Stage)));
        // Late elements of a stream that was cut, and replies to a request that no longer matters.
        Receive<LayerChunk>(_ => { });
        Receive<object>(m => m is StreamEnded or StreamFailed or SinkReady or RoiDeclined or LocalImagePlan, _ => { });
    }

    private void ReceiveRefinedPasses()
    {
        Receive<Completed>(c => c.QueryId == _query.QueryId, c =>
        {
            _timeline.RefinedPassDone();
            Do(_stage.Refined(c.Output, UncertaintyScore.Score(c.Output.Tokens, _settings.Uncertainty, c.Output.VocabularySize)));
        });
        Receive<Failed>(f => f.QueryId == _query.QueryId, f =>
        {
            _log.Info("query {0}: refined pass: {1}", _query.QueryId, f.Message);
            Do(_stage.RefineFailed(f.Message));
        });
    }

    private void OnChunk(LayerChunk chunk)
    {
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
        Sender.Tell(Ack);
        if (layerDone) Do(_stage.LayerArrived(_layers.Layers));
    }

    private void EndStream(bool complete, string? problem)
    {
        if (_stage.StreamOver) return;
        _localStream = null;
        _timeline.StreamEnded();
        foreach (var asker in _askers)
            asker.Tell(new LocalImageReceived(_query.QueryId, _layers!.BytesReceived, _layers.Layers, complete && problem is null));
        Become(RefinedPass);
        StartTimer("refined inference", _settings.RefinedInferenceTimeout);
        Do(_stage.StreamEnded(problem));
    }

    /// <summary>Carries out what the local stage decided.</summary>
    private void Do(LocalStageStep step)
    {
        switch (step)
        {
            case LocalStageStep.Refine:
                _timeline.RefinedPassStarted();
                _scheduler.Tell(new Run(_query.QueryId, new ModelInput(_query.Question, _query.Global.Jpeg, _layers!.DecodableBytes(), _region),
                    _deadline + _settings.RefinedInferenceTimeout));
                break;
            case LocalStageStep.StopStream: // sure on a prefix: the layers not yet sent are saved
                _localStream?.Shutdown();
                EndStream(complete: false, problem: null);
                break;
            case LocalStageStep.Answer answer:
                Answer(AnswerStage.Refined, answer.Pass.Output, answer.Pass.Uncertainty, answer.Pass.Layers, degradedReason: null);
                break;
            case LocalStageStep.Degrade degrade:
                Degrade(degrade.Reason);
                break;
        }
    }

    /// <summary>A re-submission of this query reached the gateway: accept it and answer it too.</summary>
    private void ReceiveDuplicates() => Receive<SubmitQuery>(_ =>
    {
        _askers.Add(Sender);
        Sender.Tell(new QueryAccepted(_query.QueryId));
    });

    private void Degrade(string reason)
    {
        _log.Info("query {0} degraded: {1}", _query.QueryId, reason);
        Answer(AnswerStage.Degraded, _global!, _verdict.Uncertainty, layers: 0, reason);
    }

    private void Answer(AnswerStage stage, ModelOutput output, double uncertainty, int layers, string? degradedReason)
    {
        var timings = _timeline.Timings(_layers?.FirstChunkTimestamp ?? 0, refined: stage == AnswerStage.Refined);
        var answer = new Answer(output.Answer, stage, uncertainty, _verdict.Uncertainty, _threshold,
            _query.Global.Jpeg.Length, _layers?.BytesReceived ?? 0, layers, _region, degradedReason, timings,
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

    private static string Describe(Exception e) => e is AggregateException a ? Describe(a.GetBaseException()) : $"{e.GetType().Name}: {e.Message}";
}

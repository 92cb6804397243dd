using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Admission;
using CollabVlm.TwoStage.Gate;
using CollabVlm.TwoStage.Refinement;
using CollabVlm.TwoStage.Region;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// One query, one state per step of the loop: <see cref="GlobalPass"/> (step 1) → gate
/// (<see cref="RetransmitGate"/>, step 2) → the region (<see cref="RegionChoice"/>, step 3) →
/// <see cref="AwaitingRetransmission"/> (a <see cref="Retransmission"/> child streams the region and runs
/// the refined passes, step 4) → one answer. It ends with exactly one <see cref="QueryAnswered"/> or
/// <see cref="QueryFailed"/>, sent to every edge that submitted the query and to the gateway (its
/// parent) in a <see cref="CoordinatorFinished"/>, then stops. When the local stage yields nothing
/// usable the global answer is returned, marked <see cref="AnswerStage.Degraded"/>.
/// </summary>
public sealed class QueryCoordinator : ReceiveActor, IWithTimers
{
    private sealed record StageTimeout(string Stage);

    private readonly SubmitQuery _query;
    private readonly IActorRef _scheduler;
    private readonly ServerSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly LocalByteBudget _budget;
    private readonly HashSet<IActorRef> _askers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DateTime _deadline;
    private readonly RetransmitBudget? _gateBudget;
    private readonly ModelWaitForecast? _forecast;
    private double _threshold;
    private readonly long _started = Stopwatch.GetTimestamp();
    private double _globalMs;
    private ModelOutput? _global;
    private GateVerdict _verdict;
    private NormalizedBox? _region;
    private IActorRef? _retransmission;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="gateBudget">The node's <c>Server:RetransmitBudget</c> gate, shared by its coordinators; null: fixed η.</param>
    /// <param name="forecast">The node's model-queue forecast (a saturated model skips the refined pass); null: only the fixed reserve.</param>
    public QueryCoordinator(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget,
        RetransmitBudget? gateBudget = null, ModelWaitForecast? forecast = null)
    {
        (_query, _scheduler, _settings, _materializer, _budget, _gateBudget, _forecast) = (query, scheduler, settings, materializer, budget, gateBudget, forecast);
        _askers.Add(edge);
        _deadline = DateTime.UtcNow + query.Options.Deadline;
        _threshold = query.Options.Threshold ?? settings.Threshold;
        GlobalPass();
    }

    public static Props Props(SubmitQuery query, IActorRef edge, IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget budget,
        RetransmitBudget? gateBudget = null, ModelWaitForecast? forecast = null) =>
        Akka.Actor.Props.Create(() => new QueryCoordinator(query, edge, scheduler, settings, materializer, budget, gateBudget, forecast));

    // A failing local stage must not be restarted (it would reserve and stream again): it stops, and the query degrades.
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        foreach (var asker in _askers) asker.Tell(new QueryAccepted(_query.QueryId));
        // The scheduler sheds a job it cannot finish by the time given; give it the moment this coordinator gives up.
        var giveUpIn = Min(_settings.GlobalInferenceTimeout, Remaining());
        _scheduler.Tell(new Run(_query.QueryId, new ModelInput(_query.Question, _query.Global.Jpeg), DateTime.UtcNow + giveUpIn));
        StartTimer("global inference", giveUpIn);
    }

    private void GlobalPass()
    {
        ReceiveDuplicates();
        Receive<Completed>(c => c.QueryId == _query.QueryId, OnGlobalAnswer);
        Receive<Failed>(f => f.QueryId == _query.QueryId, f => Fail(f.Reason, $"global pass: {f.Message}"));
        Receive<StageTimeout>(t => Fail(FailureReason.Timeout, $"{t.Stage} took longer than its timeout"));
    }

    private void OnGlobalAnswer(Completed completed)
    {
        _global = completed.Output;
        _globalMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        _verdict = RetransmitGate.Decide(_global, _settings, _query.Options.Policy, _query.Options.Threshold, _gateBudget);
        _threshold = _verdict.Threshold;
        if (!_verdict.Retransmit)
        {
            Answer(AnswerStage.Global, _global, _verdict.Uncertainty, layers: 0, degradedReason: null, null);
            return;
        }
        _region = RegionChoice.For(_global, _settings.LocalBasePixels, _query.Global.OriginalWidth, _query.Global.OriginalHeight);
        var refinedDone = _forecast?.NextJobDone ?? TimeSpan.Zero;
        var transfer = _settings.TransferTime(Remaining(), refinedDone);
        if (transfer <= TimeSpan.Zero)
        {
            Degrade(refinedDone > _settings.RefinedPassReserve
                ? $"this server's model is saturated: a refined pass queued now would end in {refinedDone.TotalSeconds:0.0} s, leaving no time to transfer the local image"
                : $"the deadline left no time to transfer the local image (under Server:RefinedPassReserve = {_settings.RefinedPassReserve.TotalSeconds:0.#} s remained)", null);
            return;
        }
        var request = new RetransmissionRequest(_query, _region, DateTime.UtcNow + transfer, _deadline, _threshold,
            _query.Options.RefineOn ?? _settings.RefineOn, RegionChoice.Hint(_global));
        _retransmission = Context.Watch(Context.ActorOf(Retransmission.Props(request, _scheduler, _settings, _materializer, _budget), "retransmission"));
        // The child times every step of its own; this guard only catches a child that never reports.
        StartTimer("local stage", transfer + _settings.RefinedInferenceTimeout + _settings.RefinedInferenceTimeout);
        Become(AwaitingRetransmission);
    }

    private void AwaitingRetransmission()
    {
        ReceiveDuplicates();
        Receive<ToAskers>(m => { foreach (var asker in _askers) asker.Tell(m.Message, Sender); });
        // The edge answers the region request's sender (the child); replies that reach this actor go on to it.
        Receive<RoiDeclined>(d => _retransmission.Forward(d));
        Receive<LocalImagePlan>(p => _retransmission.Forward(p));
        Receive<RetransmissionOver>(OnRetransmissionOver);
        // A local child's Terminated queues behind its last message, so here it means the child failed before reporting.
        Receive<Terminated>(t => Equals(t.ActorRef, _retransmission), _ => Degrade("the local stage failed (see the log) before it reported", null));
        Receive<StageTimeout>(t => Degrade($"the {t.Stage} took longer than its timeout", null));
    }

    private void OnRetransmissionOver(RetransmissionOver over)
    {
        switch (over.Outcome)
        {
            case LocalStageStep.Answer { Pass: var pass }:
                Answer(AnswerStage.Refined, pass.Output, pass.Uncertainty, pass.Layers, degradedReason: null, over);
                break;
            case LocalStageStep.Degrade { Reason: var reason }:
                Degrade(reason, over);
                break;
            default: // the child reports only answers and degrades; anything else is its bug, not a reason to hang
                Degrade($"the local stage ended with {over.Outcome.GetType().Name}", over);
                break;
        }
    }

    /// <summary>
    /// A re-submission of this query reached the gateway: accept it and answer it too. And, in every state, the
    /// gateway's hand-back at shutdown: the edge re-submits a query failed as shutting down to another server.
    /// </summary>
    private void ReceiveDuplicates()
    {
        Receive<SubmitQuery>(_ =>
        {
            _askers.Add(Sender);
            Sender.Tell(new QueryAccepted(_query.QueryId));
        });
        Receive<ShutdownProtocol.HandBack>(_ => Fail(FailureReason.ShuttingDown, "the server shut down before the query was answered; retry on another server"));
    }

    private void Degrade(string reason, RetransmissionOver? local)
    {
        _log.Info("query {0} degraded: {1}", _query.QueryId, reason);
        Answer(AnswerStage.Degraded, _global!, _verdict.Uncertainty, layers: 0, reason, local);
    }

    private void Answer(AnswerStage stage, ModelOutput output, double uncertainty, int layers, string? degradedReason, RetransmissionOver? local)
    {
        var parts = local?.Timings ?? LocalTimings.None;
        var timings = new StageTimings(_globalMs, parts.RoiToFirstChunkMs, parts.TransferMs,
            stage == AnswerStage.Refined ? parts.RefinedInferenceMs : 0, Stopwatch.GetElapsedTime(_started).TotalMilliseconds);
        var answer = new Answer(output.Answer, stage, uncertainty, _verdict.Uncertainty, _threshold,
            _query.Global.Jpeg.Length, local?.BytesReceived ?? 0, layers, local?.Plan?.CroppedOr(_region!) ?? _region, degradedReason, timings,
            GlobalQuality: _query.Global.Quality, LayersPlanned: local?.Plan?.Layers ?? 0, BytesLocalPlanned: local?.Plan?.TotalBytes ?? 0,
            RunnersUp: local?.Plan?.RunnersUp);
        if (_verdict.ByBudget && _verdict.Retransmit) _gateBudget?.Spent(answer.BytesLocal); // the byte form's price
        Finish(new QueryAnswered(_query.QueryId, answer));
    }

    private void Fail(FailureReason reason, string message) => Finish(new QueryFailed(_query.QueryId, reason, message));

    private void Finish(IQueryMessage result)
    {
        foreach (var asker in _askers) asker.Tell(result);
        Context.Parent.Tell(new CoordinatorFinished(_query.QueryId, result));
        Become(() => { }); // exactly one result: ignore everything from now on
        Context.Stop(Self);
    }

    private void StartTimer(string stage, TimeSpan after) => Timers.StartSingleTimer("stage", new StageTimeout(stage), after);

    private TimeSpan Remaining() => _deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

}

using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Admission;
using static CollabVlm.Actors.Server.InferenceProtocol;
using static CollabVlm.Actors.Server.ShutdownProtocol;
using CollabVlm.TwoStage.Gate;

namespace CollabVlm.Actors.Server;

/// <summary>
/// A server node's entry point, at <c>/user/query-gateway</c>. Validates each submission, deduplicates by
/// <see cref="QueryId"/> (a duplicate joins the running coordinator, or gets the cached result), admits by predicted
/// wait (<see cref="WaitPredictor"/>: the model jobs ahead × the recent service time against what is left of the
/// query's deadline, so that a query the model cannot reach in time is refused at once as busy, naming the wait,
/// instead of timing out in the queue), bounds the queries in flight, and spawns one <see cref="QueryCoordinator"/>
/// per query. A <see cref="LoadReporter"/> child tells the edges its load. On shutdown it stops admitting, then
/// drains: queries still running at <see cref="ServerSettings.ShutdownDrainTimeout"/> are handed back.
/// </summary>
public sealed class QueryGateway : ReceiveActor, IWithTimers
{
    public const string Name = "query-gateway";

    private sealed record DrainTimedOut;

    private readonly Dictionary<QueryId, IActorRef> _inFlight = new();
    private readonly Dictionary<IActorRef, QueryId> _byCoordinator = new();
    private readonly RecentResults _recent;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CollabVlmMetrics? _metrics;
    private readonly WaitPredictor _predictor;
    private readonly ModelWaitForecast _forecast = new();
    private readonly IActorRef _reporter;
    private readonly List<IActorRef> _drainWaiters = [];
    private InferenceLoad _load = new(0, 0, null);
    private long _globalRunsAdmitted;
    private int _handedBack;
    private bool _admitting = true;

    public ITimerScheduler Timers { get; set; } = null!;

    public QueryGateway(IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget? budget = null, CollabVlmMetrics? metrics = null,
        RetransmitBudget? gateBudget = null)
    {
        _metrics = metrics;
        _recent = new RecentResults(settings.CompletedCacheSize);
        _predictor = new WaitPredictor(settings.ServiceTimePrior);
        _reporter = Context.ActorOf(LoadReporter.Props(settings.LoadReportInterval), "load-reporter");
        Report(urgent: false); // an idle server reports too: edges prefer servers that did, so one that never did got no work
        var localBytes = budget ?? new LocalByteBudget(settings.MaxLocalBytesInFlight);
        var retransmitBudget = gateBudget ?? RetransmitBudget.For(settings);

        Receive<SubmitQuery>(query =>
        {
            if (_inFlight.TryGetValue(query.QueryId, out var running))
            {
                running.Forward(query);
                return;
            }
            if (_recent.TryGet(query.QueryId, out var result))
            {
                Sender.Tell(result);
                return;
            }
            _metrics?.RecordSubmitted();
            if (SubmitQueryValidation.Validate(query, settings) is var (reason, message))
            {
                _metrics?.RecordRefused(reason);
                _log.Info("refused query {0} from {1}: {2}", query.QueryId, query.EdgeId, message);
                Sender.Tell(new QueryFailed(query.QueryId, reason, message));
                return;
            }
            if (Refusal(query, settings) is var (refusal, label, why))
            {
                _metrics?.RecordRefused(refusal);
                _metrics?.RecordAdmissionRefused(label);
                Sender.Tell(new QueryFailed(query.QueryId, refusal, why));
                Report(urgent: true); // the edge that sent it had an old view of this server
                return;
            }
            var coordinator = Context.ActorOf(QueryCoordinator.Props(query, Sender, scheduler, settings, materializer, localBytes, retransmitBudget, _forecast), $"query-{query.QueryId.Value:N}");
            Context.Watch(coordinator);
            _inFlight[query.QueryId] = coordinator;
            _byCoordinator[coordinator] = query.QueryId;
            _globalRunsAdmitted++;
            _metrics?.SetCoordinatorsInFlight(_inFlight.Count);
        });

        Receive<InferenceLoad>(load =>
        {
            if (load.LastCall is { } took) _predictor.Observe(took);
            _load = load;
            Report(urgent: false);
        });

        Receive<CoordinatorFinished>(done =>
        {
            // A busy failure (shed from the queue) is not the query's answer: a re-submission is judged afresh.
            if (done.Result is not QueryFailed { Reason: FailureReason.Busy }) _recent.Add(done.QueryId, done.Result);
            _metrics?.RecordFinished(done.Result);
            Forget(Sender);
        });

        // A coordinator that stopped without CoordinatorFinished crashed; say so to nobody in
        // particular (its edge re-submits when it sees the coordinator die) but free the slot.
        Receive<Terminated>(t =>
        {
            if (_byCoordinator.TryGetValue(t.ActorRef, out var id) && !_recent.TryGet(id, out _))
                _log.Warning("coordinator of query {0} stopped without a result", id);
            Forget(t.ActorRef);
        });

        Receive<GetInFlight>(_ => Sender.Tell(_inFlight.Count));
        Receive<StopAdmitting>(_ => StopAdmittingNow());
        Receive<DrainQueries>(_ =>
        {
            StopAdmittingNow();
            _drainWaiters.Add(Sender);
            if (!Timers.IsTimerActive("drain")) Timers.StartSingleTimer("drain", new DrainTimedOut(), settings.ShutdownDrainTimeout);
            ReplyIfDrained();
        });
        // Each handed-back coordinator fails its query as shutting down and stops; the reply follows the last one.
        Receive<DrainTimedOut>(_ =>
        {
            _log.Warning("shutdown: handing back {0} queries still in flight after {1:0.#} s", _inFlight.Count, settings.ShutdownDrainTimeout.TotalSeconds);
            _handedBack = _inFlight.Count;
            foreach (var coordinator in _inFlight.Values) coordinator.Tell(HandBack.Instance);
        });
    }

    /// <param name="budget">The node's bound on local-image bytes; by default one sized from <paramref name="settings"/>.</param>
    /// <param name="metrics">Where query counts and figures are recorded; none when null.</param>
    /// <param name="gateBudget">The node's retransmission budget; by default one from <paramref name="settings"/> (none when it sets no budget).</param>
    public static Props Props(IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget? budget = null, CollabVlmMetrics? metrics = null,
        RetransmitBudget? gateBudget = null) =>
        Akka.Actor.Props.Create(() => new QueryGateway(scheduler, settings, materializer, budget, metrics, gateBudget));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(InferenceLoad));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    /// <summary>Supervision: a crashing coordinator is stopped, never restarted (a restart would re-run the query twice).</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Model jobs ahead of a new query: queued and running, plus global passes admitted that the scheduler has not received yet.</summary>
    private int JobsAhead => _load.JobsAhead + (int)Math.Max(0, _globalRunsAdmitted - _load.GlobalRunsReceived);

    private (FailureReason Reason, string Label, string Message)? Refusal(SubmitQuery query, ServerSettings settings)
    {
        if (!_admitting)
            return (FailureReason.ShuttingDown, "shutting_down", "this server is shutting down; retry on another server");
        if (_inFlight.Count >= settings.MaxInFlight)
            return (FailureReason.Busy, "in_flight_limit", $"this server has {_inFlight.Count} queries in flight (limit {settings.MaxInFlight}); retry later or on another server");
        return _predictor.Refusal(JobsAhead, query.Options.Deadline, settings.AdmissionDeadlineShare) is { } why ? (FailureReason.Busy, "predicted_wait", why) : null;
    }

    private void Report(bool urgent)
    {
        var load = new ServerLoad(_predictor.PredictedWait(JobsAhead), _predictor.ServiceTime, JobsAhead, _inFlight.Count, _admitting);
        _metrics?.SetPredictedWait(load.PredictedWait, load.ServiceTime);
        _forecast.Update(load.PredictedWait, load.ServiceTime);
        _reporter.Tell(new LoadReporter.Latest(load, urgent));
    }

    private void StopAdmittingNow()
    {
        if (!_admitting) return;
        _admitting = false;
        _log.Info("shutdown: no longer admitting queries ({0} in flight)", _inFlight.Count);
        Report(urgent: true);
    }

    private void ReplyIfDrained()
    {
        if (_drainWaiters.Count == 0 || _inFlight.Count > 0) return;
        foreach (var waiter in _drainWaiters) waiter.Tell(new QueriesDrained(_handedBack));
        _drainWaiters.Clear();
        Timers.Cancel("drain");
    }

    private void Forget(IActorRef coordinator)
    {
        if (_byCoordinator.Remove(coordinator, out var id)) _inFlight.Remove(id);
        _metrics?.SetCoordinatorsInFlight(_inFlight.Count);
        ReplyIfDrained();
        Report(urgent: false);
    }

    /// <summary>Asks for the number of queries in flight (an int reply).</summary>
    public sealed record GetInFlight
    {
        public static GetInFlight Instance { get; } = new();
    }
}

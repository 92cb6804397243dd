using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.Gate;

namespace CollabVlm.Actors.Server;

/// <summary>
/// A server node's entry point, at <c>/user/query-gateway</c>; edges reach it through a
/// cluster-aware router over role <c>server</c>. Validates each submission, deduplicates by
/// <see cref="QueryId"/> (a duplicate joins the running coordinator, or gets the cached result),
/// applies admission control (bounded in-flight, clear "busy" answer) and spawns one
/// <see cref="QueryCoordinator"/> per query.
/// </summary>
public sealed class QueryGateway : ReceiveActor
{
    public const string Name = "query-gateway";

    private readonly Dictionary<QueryId, IActorRef> _inFlight = new();
    private readonly Dictionary<IActorRef, QueryId> _byCoordinator = new();
    private readonly RecentResults _recent;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly CollabVlmMetrics? _metrics;

    public QueryGateway(IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget? budget = null, CollabVlmMetrics? metrics = null,
        RetransmitBudget? gateBudget = null)
    {
        _metrics = metrics;
        _recent = new RecentResults(settings.CompletedCacheSize);
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
            if (_inFlight.Count >= settings.MaxInFlight)
            {
                _metrics?.RecordRefused(FailureReason.Busy);
                Sender.Tell(new QueryFailed(query.QueryId, FailureReason.Busy,
                    $"this server has {_inFlight.Count} queries in flight (limit {settings.MaxInFlight}); retry later or on another server"));
                return;
            }
            var coordinator = Context.ActorOf(QueryCoordinator.Props(query, Sender, scheduler, settings, materializer, localBytes, retransmitBudget), $"query-{query.QueryId.Value:N}");
            Context.Watch(coordinator);
            _inFlight[query.QueryId] = coordinator;
            _byCoordinator[coordinator] = query.QueryId;
            _metrics?.SetCoordinatorsInFlight(_inFlight.Count);
        });

        Receive<CoordinatorFinished>(done =>
        {
            _recent.Add(done.QueryId, done.Result);
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
    }

    /// <param name="budget">The node's bound on local-image bytes; by default one sized from <paramref name="settings"/>.</param>
    /// <param name="metrics">Where query counts and figures are recorded; none when null.</param>
    /// <param name="gateBudget">The node's retransmission budget; by default one from <paramref name="settings"/> (none when it sets no budget).</param>
    public static Props Props(IActorRef scheduler, ServerSettings settings, IMaterializer materializer, LocalByteBudget? budget = null, CollabVlmMetrics? metrics = null,
        RetransmitBudget? gateBudget = null) =>
        Akka.Actor.Props.Create(() => new QueryGateway(scheduler, settings, materializer, budget, metrics, gateBudget));

    /// <summary>Supervision: a crashing coordinator is stopped, never restarted (a restart would re-run the query twice).</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void Forget(IActorRef coordinator)
    {
        if (_byCoordinator.Remove(coordinator, out var id)) _inFlight.Remove(id);
        _metrics?.SetCoordinatorsInFlight(_inFlight.Count);
    }

    /// <summary>Asks for the number of queries in flight (an int reply).</summary>
    public sealed record GetInFlight
    {
        public static GetInFlight Instance { get; } = new();
    }
}

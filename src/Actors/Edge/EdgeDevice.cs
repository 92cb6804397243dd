using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// One camera. Checks each <see cref="AskQuestion"/> (<see cref="QuestionIntake"/>), decodes its frame, makes the global image and hands both to
/// one <see cref="EdgeQuery"/> child per unanswered query (bounded by <see cref="EdgeSettings.MaxPendingQueries"/>),
/// which submits it, serves the server's region requests and replies one <see cref="QueryOutcome"/>. Messages for
/// a query that reach the device are forwarded to its child.
/// <para>
/// The device learns its uplink from every upload its queries report (<see cref="TransferObserved"/>) in a
/// <see cref="LinkSampleWindow"/>; the link view sizes the global image's quality and the local image's layers,
/// and <see cref="GetLinkView"/> reads it. An optional <see cref="IUplink"/> (tests, demos, benchmarks) emulates
/// a slow link on everything the device's queries send.
/// </para>
/// </summary>
public sealed class EdgeDevice : ReceiveActor
{
    private readonly EdgeId _id;
    private readonly DeviceResources _resources;
    private readonly CollabVlmMetrics? _metrics;
    private readonly LinkSampleWindow _link;
    private readonly Dictionary<QueryId, (IActorRef Query, IActorRef Asker)> _queries = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _spawned;

    public EdgeDevice(EdgeId id, IActorRef servers, EdgeSettings settings, IMaterializer materializer, IUplink? uplink, LinkEstimatorSettings link,
        CollabVlmMetrics? metrics, TiledTextProposer? proposer)
    {
        _id = id;
        _resources = new DeviceResources(servers, settings, materializer, uplink, proposer);
        _metrics = metrics;
        _link = new LinkSampleWindow(link);

        Receive<AskQuestion>(OnAsk);
        Receive<QueryAccepted>(accepted => ForwardTo(accepted.QueryId, accepted));
        Receive<QueryAnswered>(answered => ForwardTo(answered.QueryId, answered));
        Receive<QueryFailed>(failed => ForwardTo(failed.QueryId, failed));
        Receive<LocalImageReceived>(receipt => ForwardTo(receipt.QueryId, receipt));
        Receive<RoiRequest>(OnRoiRequest);
        Receive<TransferObserved>(OnTransfer);
        Receive<GetLinkView>(_ => Sender.Tell(_link.View));
        Receive<QueryEnded>(OnQueryEnded);
        Receive<Terminated>(OnQueryStopped);
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            foreach (var (query, _) in _queries.Values) query.Tell(unreachable);
        });
    }

    /// <param name="uplink">The node's emulated uplink, or null for the real network.</param>
    /// <param name="link">How this device learns its link; defaults when null. Invalid settings throw <see cref="ArgumentException"/>.</param>
    /// <param name="metrics">Where the device's link estimate is published; none when null.</param>
    /// <param name="proposer">
    /// The node's text detector, shared by its devices: with <see cref="EdgeSettings.ProposeRegions"/> on, each query
    /// scans its frame with it and snaps the server's region onto the text found. None when null.
    /// </param>
    public static Props Props(EdgeId id, IActorRef servers, EdgeSettings settings, IMaterializer materializer,
        IUplink? uplink = null, LinkEstimatorSettings? link = null, CollabVlmMetrics? metrics = null, TiledTextProposer? proposer = null)
    {
        var linkSettings = link ?? new LinkEstimatorSettings();
        if (linkSettings.Validate() is { } problem) throw new ArgumentException(problem, nameof(link));
        return Akka.Actor.Props.Create(() => new EdgeDevice(id, servers, settings, materializer, uplink, linkSettings, metrics, proposer));
    }

    protected override void PreStart()
    {
        if (InCluster)
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
    }

    protected override void PostStop()
    {
        if (InCluster) Cluster.Get(Context.System).Unsubscribe(Self);
    }

    /// <summary>A query that throws is stopped, never restarted: a restart would submit it again over a freed frame.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    // Only in a cluster: unit tests run devices in plain actor systems.
    private static bool InCluster => Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider };

    private void OnAsk(AskQuestion ask)
    {
        var id = ask.QueryId ?? QueryId.New();
        if (QuestionIntake.Admit(ask, id, _id, _queries.Count, _queries.ContainsKey(id), _resources.Settings, _link.View, out var admitted) is { } refused)
        {
            _metrics?.RecordEdgeOutcome(null, refused.Reason);
            Sender.Tell(new QueryOutcome(id, null, new QueryFailed(id, refused.Reason, refused.Message), TimeSpan.Zero, 0, 0));
            return;
        }
        // The id and a serial number: a query asked again under its id gets a fresh name while the ended one may still be stopping.
        var query = Context.ActorOf(EdgeQuery.Props(admitted!.Frame, admitted.Submission, Stopwatch.GetTimestamp(), Sender, _link.View, _resources),
            $"query-{id.Value:N}-{++_spawned}");
        Context.Watch(query);
        _queries[id] = (query, Sender);
    }

    private void ForwardTo(QueryId id, object message)
    {
        // Unknown: already answered (a late duplicate), or never asked here. The first result won.
        if (_queries.TryGetValue(id, out var entry)) entry.Query.Forward(message);
    }

    private void OnRoiRequest(RoiRequest request)
    {
        // The query sizes the layers from the newest estimate, which only the device holds.
        if (_queries.TryGetValue(request.QueryId, out var entry))
        {
            entry.Query.Forward(new ServeRegion(request, Sender, _link.View));
            return;
        }
        var problem = $"edge device {_id} holds no frame for query {request.QueryId} (unknown, or already answered)";
        _log.Warning("declining region request for {0}: {1}", request.QueryId, problem);
        request.Decline(Sender, problem, _resources.Materializer);
    }

    private void OnTransfer(TransferObserved observed)
    {
        var sample = new TransferSample(observed.Bytes, observed.Elapsed);
        if (sample.Validate() is { } problem)
        {
            // A bad measurement is the reporter's bug, not a reason to lose what was learned.
            _log.Warning("Ignoring transfer observation: {0}", problem);
            return;
        }
        var verdict = _link.Add(sample);
        if (verdict != SampleVerdict.Accepted)
            _log.Debug("Transfer of {0} B in {1:0} ms: {2}; link now {3}", sample.Bytes, sample.Elapsed.TotalMilliseconds, verdict, _link.View);
        _metrics?.RecordLinkView(_id, _link.View);
    }

    private void OnQueryEnded(QueryEnded ended)
    {
        if (!_queries.TryGetValue(ended.Id, out var entry) || !Equals(entry.Query, Sender)) return;
        var query = entry.Query;
        _metrics?.RecordEdgeOutcome(ended.Stage, ended.Reason);
        _queries.Remove(ended.Id);
        Context.Unwatch(query);
        // Behind anything already forwarded to it, so that it still declines those itself.
        query.Tell(PoisonPill.Instance);
    }

    private void OnQueryStopped(Terminated stopped)
    {
        var (id, (_, asker)) = _queries.FirstOrDefault(q => Equals(q.Value.Query, stopped.ActorRef));
        if (asker is null) return;
        _queries.Remove(id);
        _log.Error("query {0} stopped without an outcome (it failed)", id);
        _metrics?.RecordEdgeOutcome(null, FailureReason.Internal);
        asker.Tell(new QueryOutcome(id, null, new QueryFailed(id, FailureReason.Internal, "the edge's actor for this query failed (see the edge's log)"), TimeSpan.Zero, 0, 0));
    }
}

using Akka.Actor;
using Akka.Cluster;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults;

namespace CollabVlm.Actors.Server;

/// <summary>
/// Child of the <see cref="QueryGateway"/>: tells every edge node of the cluster (its <c>/user/servers</c>, the edge's
/// server directory) this server's latest <see cref="ServerLoad"/>, on behalf of the gateway so the edge learns where
/// to submit from the report. Sent every <c>Server:LoadReportInterval</c> (which doubles as "this server is there"),
/// to a newly joined edge at once, and at once when the gateway says the change is urgent (a refusal, shutdown) —
/// urgent sends are limited to one per tenth of the interval so a burst of refusals does not flood the edges.
/// </summary>
public sealed class LoadReporter : ReceiveActor, IWithTimers
{
    /// <summary>The gateway's newest load; <paramref name="Urgent"/> sends it now rather than at the next tick.</summary>
    public sealed record Latest(ServerLoad Load, bool Urgent);

    private sealed record Tick;

    private readonly HashSet<Address> _edges = [];
    private readonly TimeSpan _minUrgentGap;
    private readonly TimeSpan _interval;
    private ServerLoad? _latest;
    private DateTime _lastSent = DateTime.MinValue;

    public ITimerScheduler Timers { get; set; } = null!;

    public LoadReporter(TimeSpan interval)
    {
        _minUrgentGap = interval / 10;
        Receive<Latest>(latest =>
        {
            _latest = latest.Load;
            if (latest.Urgent && DateTime.UtcNow - _lastSent >= _minUrgentGap) SendToEdges();
        });
        Receive<Tick>(_ => SendToEdges());
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (!up.Member.HasRole(ClusterRoles.Edge) || !_edges.Add(up.Member.Address) || _latest is null) return;
            SendTo(up.Member.Address, _latest);
        });
        Receive<ClusterEvent.MemberRemoved>(removed => _edges.Remove(removed.Member.Address));
        _interval = interval;
    }

    public static Props Props(TimeSpan interval) => Akka.Actor.Props.Create(() => new LoadReporter(interval));

    // Only in a cluster: unit tests run gateways in plain actor systems.
    private static bool InCluster => Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider };

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("report", new Tick(), _interval);
        if (InCluster)
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        if (InCluster) Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private void SendToEdges()
    {
        if (_latest is null) return;
        foreach (var edge in _edges) SendTo(edge, _latest);
        _lastSent = DateTime.UtcNow;
    }

    private void SendTo(Address edge, ServerLoad load) =>
        Context.ActorSelection(new RootActorPath(edge) / "user" / Edge.ServerDirectory.Name).Tell(load, Context.Parent);
}

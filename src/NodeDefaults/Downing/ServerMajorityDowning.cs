using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CollabVlm.NodeDefaults;

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// The cluster's downing actor (started by Akka.Cluster through <see cref="ServerMajorityDowningProvider"/>): once the
/// set of unreachable members has held still for the stable time, the leader of this side applies
/// <see cref="ServerMajority"/> and downs either the unreachable members or its own side.
/// </summary>
public sealed class ServerMajorityDowning : ReceiveActor, IWithTimers
{
    private sealed class Stable
    {
        public static readonly Stable Instance = new();
    }

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _stableAfter;

    // Kept from the events themselves: Cluster.State is updated by another subscriber and may not show an event yet.
    private readonly HashSet<UniqueAddress> _unreachable = [];

    public ServerMajorityDowning(TimeSpan stableAfter)
    {
        _stableAfter = stableAfter;
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _unreachable.Clear();
            _unreachable.UnionWith(state.Unreachable.Select(m => m.UniqueAddress));
            Rearm();
        });
        Receive<ClusterEvent.UnreachableMember>(e => Changed(() => _unreachable.Add(e.Member.UniqueAddress)));
        Receive<ClusterEvent.ReachableMember>(e => Changed(() => _unreachable.Remove(e.Member.UniqueAddress)));
        Receive<ClusterEvent.MemberRemoved>(e => Changed(() => _unreachable.Remove(e.Member.UniqueAddress)));
        // Any other membership change restarts the clock too: decide only on a picture that has held still.
        Receive<ClusterEvent.IMemberEvent>(_ => Rearm());
        Receive<Stable>(_ => Decide());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan stableAfter) => Akka.Actor.Props.Create(() => new ServerMajorityDowning(stableAfter));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Changed(Action update)
    {
        update();
        Rearm();
    }

    private void Rearm()
    {
        if (_unreachable.Count == 0) Timers.Cancel(nameof(Stable));
        else Timers.StartSingleTimer(nameof(Stable), Stable.Instance, _stableAfter);
    }

    private void Decide()
    {
        var members = _cluster.State.Members.Where(m => m.Status is not (MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Removed)).ToList();
        var unreachable = members.Where(m => _unreachable.Contains(m.UniqueAddress)).ToList();
        var reachable = members.Except(unreachable).ToList();
        if (unreachable.Count == 0 || reachable.Count == 0) return;
        // One decider per side: its lowest reachable address (whom Akka makes leader of this side).
        var byAddress = Member.AddressOrdering;
        if (!Equals(reachable.OrderBy(m => m.Address, byAddress).First().Address, _cluster.SelfAddress))
        {
            Rearm();  // the decider may be gone by the next round
            return;
        }
        var lowest = members.OrderBy(m => m.Address, byAddress).First();
        ClusterSide Side(List<Member> side) =>
            new(side.Count(m => m.HasRole(ClusterRoles.Server)), side.Count, side.Contains(lowest));

        var decision = ServerMajority.Decide(Side(reachable), Side(unreachable));
        if (decision == DowningDecision.None) return;
        var down = decision == DowningDecision.DownUnreachable ? unreachable : reachable;
        _log.Warning("downing {0} after {1:0.#} s unreachable ({2}): this side {3}, unreachable {4}",
            string.Join(", ", down.Select(m => m.Address)), _stableAfter.TotalSeconds, decision, Describe(reachable), Describe(unreachable));
        // This node last, so it still speaks for its side while the others are marked.
        foreach (var member in down.OrderBy(m => m.Address == _cluster.SelfAddress)) _cluster.Down(member.Address);
    }

    private static string Describe(List<Member> side) =>
        $"{side.Count(m => m.HasRole(ClusterRoles.Server))} server(s) of {side.Count} member(s)";
}

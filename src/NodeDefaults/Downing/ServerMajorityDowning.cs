using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CollabVlm.NodeDefaults;

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// The cluster's downing actor (started by Akka.Cluster through <see cref="ServerMajorityDowningProvider"/>): once the
/// reachability table has held still for the stable time, the decider of this side (its lowest reachable address)
/// applies <see cref="ReachabilityDecision"/> — indirectly connected members are downed, the clean rest is decided by
/// <see cref="ServerMajority"/>. When the table keeps changing past the stable time plus a margin
/// (<see cref="InstabilityWatch"/>), the decider downs every member: a network that flaky is not trusted to either side.
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
    private readonly InstabilityWatch _instability;

    // Kept from the events themselves: Cluster.State is updated by another subscriber and may not show an event yet.
    private readonly HashSet<UniqueAddress> _unreachable = [];

    // The full table (observer → subject) when Akka's internal event could be read; else null and the member events serve.
    private IReadOnlyList<UnreachableRecord>? _records;

    public ServerMajorityDowning(TimeSpan stableAfter, TimeSpan downAllMargin)
    {
        _stableAfter = stableAfter;
        _instability = new InstabilityWatch(stableAfter, downAllMargin);
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
        if (AkkaReachabilityTable.EventType is { } tableEvent)
            Receive(tableEvent, e => Changed(() => _records = AkkaReachabilityTable.Records(e)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan stableAfter, TimeSpan downAllMargin) =>
        Akka.Actor.Props.Create(() => new ServerMajorityDowning(stableAfter, downAllMargin));

    protected override void PreStart()
    {
        var events = new List<Type> { typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent) };
        if (AkkaReachabilityTable.EventType is { } tableEvent) events.Add(tableEvent);
        else _log.Warning("Akka.Cluster's reachability table is not readable: indirectly connected members are treated as cleanly unreachable");
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, events.ToArray());
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Changed(Action update)
    {
        update();
        _instability.Changed(DateTimeOffset.UtcNow, Records().Count > 0);
        Rearm();
    }

    private void Rearm()
    {
        if (Records().Count == 0) Timers.Cancel(nameof(Stable));
        else Timers.StartSingleTimer(nameof(Stable), Stable.Instance, _instability.NextCheck(DateTimeOffset.UtcNow));
    }

    private void Decide()
    {
        var timing = _instability.Verdict(DateTimeOffset.UtcNow);
        if (timing is DowningTiming.Idle or DowningTiming.Wait)
        {
            Rearm();
            return;
        }
        var members = _cluster.State.Members.Where(m => m.Status is not (MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Removed))
            .OrderBy(m => m.Address, Member.AddressOrdering).ToList();
        var views = members.Select(m => new ClusterMemberView(m.Address.ToString(), m.HasRole(ClusterRoles.Server))).ToList();
        var records = Records();
        var self = _cluster.SelfAddress.ToString();
        if (ReachabilityDecision.Decide(views, records) is not { } plan) return;
        if (timing == DowningTiming.Unstable)
            plan = plan with { Decision = DowningDecision.DownAll, Down = views.Select(v => v.Address).ToList() };
        if (plan.Decider != self)
        {
            // Another member decides. If its plan downs this node, this node downs itself: across broken links the
            // decider's Down may never arrive. Either way, look again after another stable time (the decider may be gone).
            if (plan.Down.Contains(self)) plan = plan with { Down = [self] };
            else
            {
                Timers.StartSingleTimer(nameof(Stable), Stable.Instance, _stableAfter);
                return;
            }
        }
        _instability.Decided(DateTimeOffset.UtcNow);
        _log.Warning("downing {0} ({1}; stable after {2:0.#} s; indirectly connected: {3}): {4}",
            string.Join(", ", plan.Down), plan.Decision, _stableAfter.TotalSeconds,
            plan.IndirectlyConnected.Count == 0 ? "none" : string.Join(", ", plan.IndirectlyConnected), Describe(views, records));
        // This node last, so it still speaks for its side while the others are marked.
        foreach (var member in members.Where(m => plan.Down.Contains(m.Address.ToString())).OrderBy(m => m.Address == _cluster.SelfAddress))
            _cluster.Down(member.Address);
    }

    /// <summary>The table's records; without it, each unreachable member as observed by this node.</summary>
    private IReadOnlyList<UnreachableRecord> Records() =>
        _records ?? _unreachable.Select(u => new UnreachableRecord(_cluster.SelfAddress.ToString(), u.Address.ToString())).ToList();

    private static string Describe(List<ClusterMemberView> members, IReadOnlyList<UnreachableRecord> records)
    {
        var subjects = records.Select(r => r.Subject).ToHashSet(StringComparer.Ordinal);
        var reachable = members.Where(m => !subjects.Contains(m.Address)).ToList();
        return $"reachable {reachable.Count(m => m.IsServer)} server(s) of {reachable.Count} member(s), unreachable {members.Count - reachable.Count} member(s)";
    }
}

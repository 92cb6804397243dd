using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CollabVlm.Actors.Server;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults;
using CollabVlm.TwoStage.Routing;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// An edge node's way to the servers, at <c>/user/servers</c>: sends each <see cref="SubmitQuery"/> (keeping its
/// sender) to the query gateway of the server with the shortest predicted wait (<see cref="ServerChoice{TKey}"/>),
/// from the <see cref="ServerLoad"/> each server reports. It knows the servers from cluster membership (role
/// <c>server</c>, Up and reachable); one that has not reported yet counts as idle. With no server known the
/// submission is dropped with a log line, and the query's accept timeout re-submits it.
/// </summary>
public sealed class ServerDirectory : ReceiveActor
{
    public const string Name = "servers";

    private readonly Dictionary<Address, ICanTell> _gateways = new();
    private readonly HashSet<Address> _unreachable = [];
    private readonly ServerChoice<Address> _choice = new();
    private readonly Random _random = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ServerDirectory()
    {
        Receive<SubmitQuery>(submission =>
        {
            if (!_choice.TryChoose(_random, out var server))
            {
                _log.Warning("no server to send query {0} to (none is up and reachable); its accept timeout will re-submit it", submission.QueryId);
                return;
            }
            _gateways[server].Tell(submission, Sender);
            _choice.Sent(server);
        });
        Receive<ServerLoad>(load =>
        {
            var server = Sender.Path.Address;
            // Only from members this edge sees as up and reachable: a late report must not revive a removed server.
            if (!_gateways.ContainsKey(server) || _unreachable.Contains(server)) return;
            _gateways[server] = Sender;
            _choice.Report(server, load.PredictedWait, load.ServiceTime, load.Accepting);
        });
        Receive<ClusterEvent.MemberUp>(up => { if (up.Member.HasRole(ClusterRoles.Server)) Add(up.Member.Address); });
        Receive<ClusterEvent.ReachableMember>(back =>
        {
            if (_unreachable.Remove(back.Member.Address) && _gateways.ContainsKey(back.Member.Address)) _choice.Add(back.Member.Address);
        });
        Receive<ClusterEvent.UnreachableMember>(lost =>
        {
            if (!_gateways.ContainsKey(lost.Member.Address)) return;
            _unreachable.Add(lost.Member.Address);
            _choice.Remove(lost.Member.Address);
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _gateways.Remove(removed.Member.Address);
            _unreachable.Remove(removed.Member.Address);
            _choice.Remove(removed.Member.Address);
        });
        Receive<GetPredictedWaits>(_ => Sender.Tell(_gateways.Keys.ToDictionary(a => a, a => _choice.PredictedWait(a))));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new ServerDirectory());

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Add(Address server)
    {
        _gateways.TryAdd(server, Context.ActorSelection(new RootActorPath(server) / "user" / QueryGateway.Name));
        _choice.Add(server);
    }

    /// <summary>Asks for each known server's predicted wait as this edge sees it (a dictionary by address; null = not reported).</summary>
    public sealed record GetPredictedWaits
    {
        public static GetPredictedWaits Instance { get; } = new();
    }
}

using Akka.Actor;
using Akka.Cluster;
using CollabVlm.NodeDefaults;

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// Plugs <see cref="ServerMajorityDowning"/> into Akka.Cluster in place of Akka's split-brain resolver
/// (<c>akka.cluster.downing-provider-class</c>, set by <see cref="AkkaNodeConfiguration"/>).
/// </summary>
public sealed class ServerMajorityDowningProvider : IDowningProvider
{
    /// <summary>How long the unreachable set must hold still before anyone is downed (HOCON; <c>Cluster:DownUnreachableAfter</c>).</summary>
    public const string StableAfterPath = "collabvlm.downing.stable-after";

    /// <summary>How much longer than the stable time the table may keep changing before every member is downed (HOCON; default ¾ of stable-after, at least 4 s).</summary>
    public const string DownAllMarginPath = "collabvlm.downing.down-all-when-unstable";

    private readonly TimeSpan _stableAfter;
    private readonly TimeSpan _downAllMargin;

    /// <summary>Akka.Cluster creates the provider with this signature; the cluster itself is not needed here.</summary>
    public ServerMajorityDowningProvider(ActorSystem system, Cluster cluster)
    {
        _ = cluster;
        _stableAfter = system.Settings.Config.GetTimeSpan(StableAfterPath, TimeSpan.FromSeconds(20));
        _downAllMargin = system.Settings.Config.GetTimeSpan(DownAllMarginPath, InstabilityWatch.DefaultMargin(_stableAfter));
    }

    /// <summary>As Akka's resolver: downed members are removed only after another stable period, so both sides have decided.</summary>
    public TimeSpan DownRemovalMargin => _stableAfter;

    public Props DowningActorProps => ServerMajorityDowning.Props(_stableAfter, _downAllMargin);
}

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>What the side of a split that decides does about it.</summary>
public enum DowningDecision
{
    /// <summary>Nothing is unreachable.</summary>
    None,

    /// <summary>This side carries on; the unreachable members are downed.</summary>
    DownUnreachable,

    /// <summary>This side loses: its own members, this node included, are downed (they exit and are restarted).</summary>
    DownReachable,

    /// <summary>Only members on both ends of a broken link (unreachable, and observing others unreachable) are downed.</summary>
    DownIndirectlyConnected,

    /// <summary>The reachability kept changing past the stable time and its margin: every member is downed.</summary>
    DownAll,
}

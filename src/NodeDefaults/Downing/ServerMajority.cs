namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// Which side of a split survives: the one with more servers; on a tie in servers, the one with more members; then the
/// one holding the lowest address.
/// </summary>
/// <remarks>
/// Counting servers first keeps Akka's keep-majority-by-role property (docs/architecture.md, "Cluster"): a crowd of edge nodes cut off from
/// the servers cannot down them. The member-count tie-break is what Akka's strategies lack for the smallest
/// deployments: with two servers, the crash of one is a 1–1 tie in servers, and keep-majority resolves it by lowest
/// address — so when the lower-addressed server dies, the survivor and every edge down themselves. A crashed node is
/// alone on its side, so counting members lets the survivors win. The node of an even split decides by lowest address,
/// like Akka, so that the two sides never both survive.
/// </remarks>
public static class ServerMajority
{
    public static DowningDecision Decide(ClusterSide reachable, ClusterSide unreachable)
    {
        if (unreachable.Members == 0) return DowningDecision.None;
        var byServers = reachable.Servers.CompareTo(unreachable.Servers);
        if (byServers != 0) return byServers > 0 ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
        var byMembers = reachable.Members.CompareTo(unreachable.Members);
        if (byMembers != 0) return byMembers > 0 ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
        return reachable.LowestAddress ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
    }
}

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// Turns the reachability table into a downing plan, as Akka's split-brain resolver does before its strategy:
/// members that are unreachable from some member <i>and</i> themselves observe another member unreachable are
/// <b>indirectly connected</b> — the signature of an asymmetric or flaky link, not of a clean split — and are downed
/// whatever else happens; the clean rest is decided by <see cref="ServerMajority"/>, counting the indirectly connected
/// members on the unreachable side. Plain: addresses in, addresses out.
/// </summary>
public static class ReachabilityDecision
{
    /// <param name="members">The members still counted (not Down, Exiting or Removed), ordered by address as Akka orders them.</param>
    /// <param name="unreachable">The table's Unreachable records as this node sees them (its own and those gossiped to it).</param>
    /// <returns>
    /// Null when nothing is unreachable. The plan names its <see cref="DowningPlan.Decider"/>, who downs what it says; any
    /// other member the plan downs downs itself, since the decider's Down may never reach it across the broken links.
    /// </returns>
    public static DowningPlan? Decide(IReadOnlyList<ClusterMemberView> members, IReadOnlyCollection<UnreachableRecord> unreachable)
    {
        var known = members.Select(m => m.Address).ToHashSet(StringComparer.Ordinal);
        var records = unreachable.Where(r => known.Contains(r.Observer) && known.Contains(r.Subject) && r.Observer != r.Subject).ToList();
        var subjects = records.Select(r => r.Subject).ToHashSet(StringComparer.Ordinal);
        if (subjects.Count == 0) return null;
        var indirect = records.Select(r => r.Observer).Where(subjects.Contains).ToHashSet(StringComparer.Ordinal);
        var reachable = members.Where(m => !subjects.Contains(m.Address)).ToList();
        // One decider: the lowest reachable address, whom Akka also makes leader. When every member is unreachable from
        // someone (a ring of broken links), the lowest member that is not cleanly cut off decides.
        var decider = reachable.Count > 0 ? reachable[0].Address : members.First(m => indirect.Contains(m.Address)).Address;

        var indirectList = members.Where(m => indirect.Contains(m.Address)).Select(m => m.Address).ToList();
        var clean = members.Where(m => subjects.Contains(m.Address) && !indirect.Contains(m.Address)).ToList();
        if (clean.Count == 0) return new DowningPlan(decider, DowningDecision.DownIndirectlyConnected, indirectList, indirectList);

        var other = members.Where(m => subjects.Contains(m.Address)).ToList();
        var lowest = members[0].Address;
        ClusterSide Side(List<ClusterMemberView> side) => new(side.Count(m => m.IsServer), side.Count, side.Any(m => m.Address == lowest));
        var decision = ServerMajority.Decide(Side(reachable), Side(other));
        var down = decision == DowningDecision.DownUnreachable ? other : reachable.Concat(members.Where(m => indirect.Contains(m.Address))).ToList();
        return new DowningPlan(decider, decision, down.Select(m => m.Address).ToList(), indirectList);
    }
}

using CollabVlm.NodeDefaults.Downing;
using Xunit;

namespace CollabVlm.NodeDefaults.Tests.Downing;

/// <summary>Which side of a split survives (the rule behind the cluster's downing).</summary>
public sealed class ServerMajorityTests
{
    [Fact]
    public void Nothing_unreachable_means_nothing_to_do() =>
        Assert.Equal(DowningDecision.None, ServerMajority.Decide(new ClusterSide(2, 5, true), new ClusterSide(0, 0, false)));

    [Theory]
    // one of two servers crashed, edges with the survivor: the survivor's side outnumbers the lone dead node
    [InlineData(1, 4, false, 1, 1, true, DowningDecision.DownUnreachable)]
    // ... seen from the dead side's point of view (were it alive and alone) it gives way
    [InlineData(1, 1, true, 1, 4, false, DowningDecision.DownReachable)]
    // a hundred edges cut off from both servers cannot down the servers
    [InlineData(0, 100, true, 2, 2, false, DowningDecision.DownReachable)]
    [InlineData(2, 2, false, 0, 100, true, DowningDecision.DownUnreachable)]
    // more servers win even against more members
    [InlineData(2, 3, false, 1, 50, true, DowningDecision.DownUnreachable)]
    // the only server crashed: the edges give way too — a cluster without servers cannot answer, and a restarted
    // server forms a new cluster that the edges only join by starting afresh (their supervisor restarts them)
    [InlineData(0, 3, false, 1, 1, true, DowningDecision.DownReachable)]
    public void The_side_with_more_servers_then_more_members_survives(int servers, int members, bool lowest,
        int otherServers, int otherMembers, bool otherLowest, DowningDecision expected) =>
        Assert.Equal(expected, ServerMajority.Decide(new ClusterSide(servers, members, lowest), new ClusterSide(otherServers, otherMembers, otherLowest)));

    [Fact]
    public void An_even_split_is_won_by_the_side_with_the_lowest_address_so_exactly_one_side_survives()
    {
        var mine = new ClusterSide(1, 3, LowestAddress: true);
        var theirs = new ClusterSide(1, 3, LowestAddress: false);
        Assert.Equal(DowningDecision.DownUnreachable, ServerMajority.Decide(mine, theirs));
        Assert.Equal(DowningDecision.DownReachable, ServerMajority.Decide(theirs, mine));
    }

    [Theory]
    [InlineData(3, 5, 2, 4)]
    [InlineData(1, 4, 1, 1)]
    [InlineData(0, 7, 0, 3)]
    [InlineData(2, 2, 2, 2)]
    public void The_two_sides_of_any_split_never_both_survive(int servers, int members, int otherServers, int otherMembers)
    {
        foreach (var lowestHere in new[] { true, false })
        {
            var here = ServerMajority.Decide(new ClusterSide(servers, members, lowestHere), new ClusterSide(otherServers, otherMembers, !lowestHere));
            var there = ServerMajority.Decide(new ClusterSide(otherServers, otherMembers, !lowestHere), new ClusterSide(servers, members, lowestHere));
            Assert.NotEqual(here, there);
        }
    }
}

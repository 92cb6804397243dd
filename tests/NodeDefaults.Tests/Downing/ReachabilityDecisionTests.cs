using CollabVlm.NodeDefaults.Downing;
using Xunit;

namespace CollabVlm.NodeDefaults.Tests.Downing;

/// <summary>
/// The downing plan over a reachability table, and the property behind it: whatever links break — one way or both,
/// clean splits or tangles — the members left alive can all reach each other (two sides never both survive).
/// </summary>
public sealed class ReachabilityDecisionTests
{
    private static List<ClusterMemberView> Members(string servers, string edges) =>
        servers.Select(c => new ClusterMemberView(c.ToString(), true)).Concat(edges.Select(c => new ClusterMemberView(c.ToString(), false)))
            .OrderBy(m => m.Address, StringComparer.Ordinal).ToList();

    private static UnreachableRecord R(string observer, string subject) => new(observer, subject);

    [Fact]
    public void Nothing_unreachable_means_no_plan() => Assert.Null(ReachabilityDecision.Decide(Members("ab", "c"), []));

    [Fact]
    public void The_lowest_reachable_member_decides()
    {
        var plan = ReachabilityDecision.Decide(Members("abc", ""), [R("b", "a"), R("c", "a")]);
        Assert.Equal("b", plan!.Decider);
        Assert.Equal(DowningDecision.DownUnreachable, plan.Decision);
        Assert.Equal(["a"], plan.Down);
    }

    [Fact]
    public void Members_at_both_ends_of_a_broken_link_inside_a_healthy_cluster_are_downed_and_nobody_else()
    {
        // a and d cannot talk to each other; everyone else reaches everyone.
        var plan = ReachabilityDecision.Decide(Members("abc", "de"), [R("a", "d"), R("d", "a")]);
        Assert.Equal("b", plan!.Decider);
        Assert.Equal(DowningDecision.DownIndirectlyConnected, plan.Decision);
        Assert.Equal(["a", "d"], plan.Down);
        Assert.Equal(["a", "d"], plan.IndirectlyConnected);
    }

    [Fact]
    public void A_clean_split_with_an_indirectly_connected_member_downs_it_with_the_losing_side()
    {
        // {a,b,c} | {d,e} cleanly, and also b↔c broken inside the majority: b and c are indirectly connected.
        UnreachableRecord[] records = [R("a", "d"), R("a", "e"), R("b", "c"), R("c", "b"), R("b", "d"), R("c", "e")];
        var plan = ReachabilityDecision.Decide(Members("abd", "ce"), records);
        // a's side counts a alone (1 server) against d, e and the indirectly connected b, c (2 servers): a gives way.
        Assert.Equal(DowningDecision.DownReachable, plan!.Decision);
        Assert.Equal(["a", "b", "c"], plan.Down.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ab", "cde", 0.15)]
    [InlineData("abc", "defg", 0.1)]
    [InlineData("ab", "cdef", 0.3)]
    [InlineData("a", "bcd", 0.2)]
    [InlineData("abcd", "ef", 0.25)]
    public void Whatever_links_break_the_surviving_members_all_reach_each_other(string servers, string edges, double breakChance)
    {
        var members = Members(servers, edges);
        for (var seed = 0; seed < 400; seed++)
        {
            var rng = new Random(seed);
            var network = new LinkMatrix(members.Select(m => m.Address).ToList(), rng, breakChance, clean: seed % 3 == 0);
            var survivors = network.Survivors(members);
            foreach (var x in survivors)
                foreach (var y in survivors.Where(y => y != x))
                    Assert.True(network.Connected(x, y), $"seed {seed}: {x} and {y} both survive but cannot reach each other.\n{network}");
        }
    }

    /// <summary>
    /// Which directed links work. A member observes another unreachable unless both directions work (heartbeats and
    /// their replies); records travel by gossip along working links, so each member sees the records of every member
    /// that reaches it. A decider's Down reaches its subject the same way; a member that its own view's plan downs
    /// downs itself; a member survives unless one of these happens to it.
    /// </summary>
    private sealed class LinkMatrix
    {
        private readonly List<string> _nodes;
        private readonly HashSet<(string From, string To)> _broken = [];

        public LinkMatrix(List<string> nodes, Random rng, double breakChance, bool clean)
        {
            _nodes = nodes;
            if (clean)
            {
                // A clean split at a random point, then a few extra one-way breaks.
                var side = nodes.Where(_ => rng.NextDouble() < 0.5).ToHashSet();
                foreach (var a in nodes)
                    foreach (var b in nodes)
                        if (side.Contains(a) != side.Contains(b)) _broken.Add((a, b));
            }
            foreach (var a in nodes)
                foreach (var b in nodes)
                    if (a != b && rng.NextDouble() < breakChance / 2) _broken.Add((a, b));
        }

        public bool Connected(string x, string y) => !_broken.Contains((x, y)) && !_broken.Contains((y, x));

        public HashSet<string> Survivors(List<ClusterMemberView> members)
        {
            var records = _nodes.SelectMany(x => _nodes.Where(y => y != x && !Connected(x, y)).Select(y => new UnreachableRecord(x, y))).ToList();
            var downed = new HashSet<string>();
            foreach (var node in _nodes)
            {
                var view = records.Where(r => Reaches(r.Observer, node)).ToList();
                if (ReachabilityDecision.Decide(members, view) is not { } plan) continue;
                if (plan.Decider == node) downed.UnionWith(plan.Down.Where(d => Reaches(node, d)));
                else if (plan.Down.Contains(node)) downed.Add(node);
            }
            return _nodes.Where(n => !downed.Contains(n)).ToHashSet();
        }

        private bool Reaches(string from, string to)
        {
            var seen = new HashSet<string> { from };
            var queue = new Queue<string>([from]);
            while (queue.TryDequeue(out var at))
                foreach (var next in _nodes.Where(n => !seen.Contains(n) && !_broken.Contains((at, n))))
                {
                    seen.Add(next);
                    queue.Enqueue(next);
                }
            return seen.Contains(to);
        }

        public override string ToString() => "broken links: " + string.Join(", ", _broken.OrderBy(b => b.From).ThenBy(b => b.To).Select(b => $"{b.From}→{b.To}"));
    }
}

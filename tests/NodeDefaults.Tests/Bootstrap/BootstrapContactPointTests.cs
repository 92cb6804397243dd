using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using CollabVlm.NodeDefaults.Bootstrap;

namespace CollabVlm.NodeDefaults.Tests.Bootstrap;

/// <summary>
/// The contact point a probing peer reads, on a real one-node cluster over loopback TCP: it offers the members while
/// this node is up and nothing (the route's 503) once it is leaving, so nobody joins through a node on its way out.
/// </summary>
public sealed class BootstrapContactPointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_node_offers_nothing_only_once_it_leaves()
    {
        var system = ActorSystem.Create("contact-point", ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            """));
        try
        {
            var cluster = Cluster.Get(system);
            // Not joined yet: Akka reports the node as Removed, and it must still answer (with no members), or no
            // node would ever form the first cluster.
            var fresh = BootstrapContactPoint.Describe(cluster);
            Assert.NotNull(fresh);
            Assert.Empty(fresh.Nodes);

            var up = new TaskCompletionSource();
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            cluster.Join(cluster.SelfAddress);
            await up.Task.WaitAsync(Wait);
            // The member-up callback can run before the cluster's read view (what Describe reads) has seen the
            // event, so wait, bounded, for the view to list this node.
            var seeds = await EventuallyAsync(() => BootstrapContactPoint.Describe(cluster), s => s is not null && s.Nodes.Any());
            Assert.NotNull(seeds);
            Assert.Equal(cluster.SelfAddress, seeds.SelfNode);
            Assert.Equal([cluster.SelfAddress], seeds.Nodes.Select(n => n.Node));

            await cluster.LeaveAsync().WaitAsync(Wait);
            // The read view can lag the leave's completion too.
            var status = await EventuallyAsync(() => cluster.SelfMember.Status, s => BootstrapContactPoint.IsLeaving(s, hasBeenMember: true));
            Assert.True(BootstrapContactPoint.IsLeaving(status, hasBeenMember: true), $"status after leaving: {status}");
            // Removed, then the cluster daemon stops: from then on, and for good, the node offers nothing.
            var deadline = DateTime.UtcNow + Wait;
            while (!cluster.IsTerminated && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Null(BootstrapContactPoint.Describe(cluster));
        }
        finally
        {
            await system.Terminate().WaitAsync(Wait);
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Wait;
        var value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = read();
        }
        return value;
    }

    [Theory]
    [InlineData(MemberStatus.Joining, true, false)]
    [InlineData(MemberStatus.WeaklyUp, true, false)]
    [InlineData(MemberStatus.Up, true, false)]
    [InlineData(MemberStatus.Leaving, true, true)]
    [InlineData(MemberStatus.Exiting, true, true)]
    [InlineData(MemberStatus.Down, true, true)]
    [InlineData(MemberStatus.Removed, true, true)]
    [InlineData(MemberStatus.Removed, false, false)]
    public void Only_members_on_their_way_out_are_leaving(MemberStatus status, bool hasBeenMember, bool leaving) =>
        Assert.Equal(leaving, BootstrapContactPoint.IsLeaving(status, hasBeenMember));

    [Fact]
    public void Listing_an_Akka_Management_provider_in_akka_extensions_is_what_would_start_its_http_server()
    {
        Assert.Null(AkkaManagementHttp.StartedBy(["Akka.Cluster.Tools.PublishSubscribe.DistributedPubSubExtensionProvider, Akka.Cluster.Tools"]));
        Assert.Equal("Akka.Management.Cluster.Bootstrap.ClusterBootstrapProvider, Akka.Management",
            AkkaManagementHttp.StartedBy(["Akka.Management.Cluster.Bootstrap.ClusterBootstrapProvider, Akka.Management"]));
        Assert.NotNull(AkkaManagementHttp.StartedBy(["Akka.Management.AkkaManagementProvider, Akka.Management"]));
    }
}

using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Akka.Cluster;
using CollabVlm.NodeDefaults.Downing;
using Xunit;

namespace CollabVlm.NodeDefaults.Tests.Downing;

/// <summary>
/// Pins the names the downing actor reads Akka.Cluster's internal reachability table by: an Akka upgrade that moves
/// them fails here rather than silently turning indirectly connected members into cleanly unreachable ones.
/// </summary>
public sealed class AkkaReachabilityTableTests
{
    [Fact]
    public void The_reachability_event_of_this_Akka_is_read_into_observer_subject_records()
    {
        var eventType = AkkaReachabilityTable.EventType;
        Assert.NotNull(eventType);
        var a = new UniqueAddress(new Address("akka.tcp", "collabvlm", "10.0.0.1", 4053), 1);
        var b = new UniqueAddress(new Address("akka.tcp", "collabvlm", "10.0.0.2", 4053), 2);
        var c = new UniqueAddress(new Address("akka.tcp", "collabvlm", "10.0.0.3", 4053), 3);
        var reachabilityType = typeof(Cluster).Assembly.GetType("Akka.Cluster.Reachability")!;
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        var table = reachabilityType.GetField("Empty", Any)?.GetValue(null) ?? reachabilityType.GetProperty("Empty", Any)!.GetValue(null)!;
        var unreachable = reachabilityType.GetMethod("Unreachable", Any, [typeof(UniqueAddress), typeof(UniqueAddress)])!;
        var reachable = reachabilityType.GetMethod("Reachable", Any, [typeof(UniqueAddress), typeof(UniqueAddress)])!;
        table = unreachable.Invoke(table, [a, b])!;
        table = unreachable.Invoke(table, [c, b])!;
        table = unreachable.Invoke(table, [a, c])!;
        table = reachable.Invoke(table, [a, c])!;
        var changed = Activator.CreateInstance(eventType!, Any, null, [table], null)!;

        var records = AkkaReachabilityTable.Records(changed);

        Assert.NotNull(records);
        Assert.Equal(
            [new UnreachableRecord(a.Address.ToString(), b.Address.ToString()), new UnreachableRecord(c.Address.ToString(), b.Address.ToString())],
            records!.OrderBy(r => r.Observer, StringComparer.Ordinal).ToImmutableList());
    }
}

using System.Collections;
using System.Reflection;

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// Reads Akka.Cluster's reachability table — who observes whom unreachable — from its <c>ReachabilityChanged</c> event.
/// Akka keeps that event and the table internal (its own split-brain resolver lives in the same assembly), so this
/// binds to them by name once; a test pins the names, so an Akka upgrade that moves them fails loudly there. When
/// the binding is missing the downing actor works from the public member events alone (no indirectly connected
/// members), and says so in the log.
/// </summary>
public static class AkkaReachabilityTable
{
    /// <summary>The event type to subscribe to; null when this Akka.Cluster does not have it.</summary>
    public static Type? EventType { get; } = typeof(Akka.Cluster.Cluster).Assembly.GetType("Akka.Cluster.ClusterEvent+ReachabilityChanged");

    /// <summary>The table's Unreachable records (observer, subject), or null when the event does not have the expected shape.</summary>
    public static IReadOnlyList<UnreachableRecord>? Records(object reachabilityChanged)
    {
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        var table = reachabilityChanged.GetType().GetProperty("Reachability", Public)?.GetValue(reachabilityChanged);
        if (table?.GetType().GetProperty("Records", Public)?.GetValue(table) is not IEnumerable records) return null;
        var result = new List<UnreachableRecord>();
        foreach (var record in records)
        {
            var type = record.GetType();
            if (type.GetProperty("Observer", Public)?.GetValue(record) is not Akka.Cluster.UniqueAddress observer
                || type.GetProperty("Subject", Public)?.GetValue(record) is not Akka.Cluster.UniqueAddress subject
                || type.GetProperty("Status", Public)?.GetValue(record) is not { } status)
                return null;
            if (status.ToString() == "Unreachable") result.Add(new UnreachableRecord(observer.Address.ToString(), subject.Address.ToString()));
        }
        return result;
    }
}

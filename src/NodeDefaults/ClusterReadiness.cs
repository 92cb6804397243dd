using Akka.Actor;
using Akka.Cluster;

namespace CollabVlm.NodeDefaults;

/// <summary>Waits for cluster membership facts, with a timeout (no wait in this system is unbounded).</summary>
public static class ClusterReadiness
{
    /// <summary>Completes when at least <paramref name="count"/> members with <paramref name="role"/> are Up (this node included).</summary>
    public static async Task WaitForRoleAsync(ActorSystem system, string role, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var cluster = Cluster.Get(system);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (cluster.State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole(role)) < count
                   || cluster.SelfMember.Status != MemberStatus.Up)
                await Task.Delay(100, cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seen = string.Join(", ", cluster.State.Members.Select(m => $"{m.Address} {string.Join('/', m.Roles)} {m.Status}"));
            throw new TimeoutException($"no {count} '{role}' member(s) Up within {timeout.TotalSeconds:0} s; members seen: [{seen}]");
        }
    }
}

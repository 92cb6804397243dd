using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json;
using static Akka.Management.Cluster.Bootstrap.ContactPoint.HttpBootstrapJsonProtocol;

namespace CollabVlm.NodeDefaults.Bootstrap;

/// <summary>
/// The one HTTP route Akka.Management's cluster bootstrap needs from every node: <c>GET /bootstrap/seed-nodes</c>,
/// which peers probe to learn whether a cluster already exists and whom to join.
/// </summary>
/// <remarks>
/// Akka.Management serves this route from its own HTTP server (Ceen.Httpd through Akka.Http.Shim). The package feed
/// here serves only Ceen.Httpd 0.9.10, against which Akka.Management 1.5.73's HTTP server fails at start
/// ("Method not found: …ListenAsync"). So the node serves the route from its Kestrel host instead, on
/// <c>Cluster:ManagementPort</c>, with the same rule for which members to expose and the same JSON
/// (Akka.Management's own protocol types, written by Json.NET as its probing client reads them).
/// </remarks>
public static class BootstrapContactPoint
{
    public const string SeedNodesPath = "/bootstrap/seed-nodes";

    /// <summary>Akka.Management's fixed limit (ClusterBootstrapSettings.ContactPoint.MaxSeedNodesToExpose).</summary>
    public const int MaxSeedNodesToExpose = 5;

    /// <summary>
    /// What this node tells a probing peer: its own address, and the members a newcomer may join (reachable, and
    /// Joining, Up or WeaklyUp); null while this node is leaving the cluster or has left it. Akka.Management's contact
    /// point answers 503 then, so a prober moves on to another pod instead of reading "no cluster here" and forming
    /// a second one. A node that has not joined yet also reads as Removed; it answers with no members, which is what
    /// lets the lowest contact point form the first cluster.
    /// </summary>
    public static SeedNodes? Describe(Cluster cluster)
    {
        var self = cluster.SelfMember;
        var state = cluster.State;
        // Before the first join the member list is empty; once removed from a cluster, the others stay listed or the
        // cluster daemon has stopped.
        if (IsLeaving(self.Status, hasBeenMember: cluster.IsTerminated || !state.Members.IsEmpty)) return null;
        var members = state.Members
            .Where(m => !state.Unreachable.Contains(m))
            .Where(m => m.Status is MemberStatus.Joining or MemberStatus.Up or MemberStatus.WeaklyUp)
            .Take(MaxSeedNodesToExpose)
            .Select(m => new ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles));
        return new SeedNodes(self.UniqueAddress.Address, [.. members]);
    }

    /// <summary>
    /// Whether a member in <paramref name="status"/> is on its way out and must not be offered as a way in. Removed
    /// counts only for a node that <paramref name="hasBeenMember"/>: Akka reports a node that never joined as Removed.
    /// </summary>
    public static bool IsLeaving(MemberStatus status, bool hasBeenMember) =>
        status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down || (status == MemberStatus.Removed && hasBeenMember);

    /// <summary>The body a probing peer deserializes (Json.NET defaults, as Akka.Management's client reads it).</summary>
    public static string ToJson(SeedNodes seedNodes) => JsonConvert.SerializeObject(seedNodes);

    /// <summary>Maps <see cref="SeedNodesPath"/> on <paramref name="port"/> only, so it never shows up on the metrics port.</summary>
    public static IEndpointConventionBuilder MapBootstrapContactPoint(this IEndpointRouteBuilder endpoints, int port) =>
        endpoints.MapGet(SeedNodesPath, (HttpContext context) =>
        {
            var system = context.RequestServices.GetService(typeof(ActorSystem)) as ActorSystem;
            // Before the ActorSystem exists the node has nothing to say yet; peers retry on their probe interval.
            if (system is null) return Results.Problem("the actor system is still starting", statusCode: StatusCodes.Status503ServiceUnavailable);
            var cluster = Cluster.Get(system);
            return Describe(cluster) is { } seeds
                ? Results.Text(ToJson(seeds), "application/json")
                : Results.Problem($"this node is leaving the cluster (status {cluster.SelfMember.Status}); probe another contact point",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
        }).RequireHost($"*:{port}");
}

using Akka.Actor;
using Akka.Event;

namespace CollabVlm.NodeDefaults.Bootstrap;

/// <summary>
/// Keeps Akka.Management's own HTTP server from starting. With the Ceen.Httpd version served here that server fails at
/// run time (see <see cref="BootstrapContactPoint"/>), and it would take <c>Cluster:ManagementPort</c> from the node's
/// contact point. Listing Akka.Management's extension providers in <c>akka.extensions</c> is the one configuration that
/// starts it (their constructors auto-start it when listed); a node that finds one there stops with an error naming it.
/// </summary>
public static class AkkaManagementHttp
{
    /// <summary>The <c>akka.extensions</c> entry that would auto-start Akka.Management's HTTP server, or null when none does.</summary>
    public static string? StartedBy(IEnumerable<string> extensions) =>
        extensions.FirstOrDefault(e => e.Contains("Akka.Management", StringComparison.Ordinal));

    /// <summary>Terminates <paramref name="system"/> when its configuration would start Akka.Management's HTTP server.</summary>
    public static void RefuseAutoStart(ActorSystem system)
    {
        if (StartedBy(system.Settings.Config.GetStringList("akka.extensions", [])) is not { } entry) return;
        system.Log.Error("akka.extensions lists {0}, which starts Akka.Management's own HTTP server; this node serves the bootstrap contact point itself and cannot run that server. Remove the entry. Terminating.", entry);
        system.Terminate();
    }
}

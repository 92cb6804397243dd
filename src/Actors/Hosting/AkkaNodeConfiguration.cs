using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CollabVlm.Messages;
using CollabVlm.Messages.Serialization;

namespace CollabVlm.Actors.Hosting;

/// <summary>What every node shares: remoting, clustering with its role, the protocol serializer.</summary>
public static class AkkaNodeConfiguration
{
    public static AkkaConfigurationBuilder WithCollabVlmNode(this AkkaConfigurationBuilder builder, ClusterNodeOptions node, string role)
    {
        if (node.Validate() is { } problem) throw new ArgumentException(problem);
        return builder
            // Akka's log goes through Microsoft.Extensions.Logging, so one set of log levels rules both.
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            // Peers leaving is normal here (edges come and go); don't log every disassociation as an error.
            .AddHocon("akka.remote.log-remote-lifecycle-events = off", HoconAddMode.Prepend)
            .WithRemoting(node.Hostname, node.Port, node.PublicHostname ?? node.Hostname)
            .WithClustering(new ClusterOptions
            {
                Roles = [role],
                SeedNodes = node.Seeds.ToArray(),
                // Keep-majority counted over servers only, so a crowd of edge nodes cannot down the servers.
                SplitBrainResolver = new KeepMajorityOption { Role = ClusterRoles.Server },
            })
            .WithCustomSerializer("collabvlm", [typeof(IProtocolMessage)], system => new ProtocolSerializer(system))
            .WithActors((system, _) =>
            {
                if (node.Seeds.Count == 0)
                {
                    var cluster = Cluster.Get(system);
                    cluster.Join(cluster.SelfAddress);
                }
            });
    }
}

using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CollabVlm.Messages;
using CollabVlm.Messages.Serialization;
using CollabVlm.NodeDefaults.Bootstrap;
using CollabVlm.NodeDefaults.Downing;
using CollabVlm.NodeDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace CollabVlm.NodeDefaults;

/// <summary>What every node shares: remoting, clustering with its role, the protocol serializer, health checks.</summary>
public static class AkkaNodeConfiguration
{
    /// <param name="provider">The host's services; when they hold <see cref="CollabVlmMetrics"/> the node's cluster membership is observed.</param>
    public static AkkaConfigurationBuilder WithCollabVlmNode(this AkkaConfigurationBuilder builder, ClusterNodeOptions node, string role, IServiceProvider? provider = null)
    {
        if (node.Validate() is { } problem) throw new ArgumentException(problem);
        builder
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
                SeedNodes = node.SeedsToJoin.ToArray(),
                // Downing is ServerMajorityDowning (below), not Akka's split-brain resolver: see ServerMajority for why.
                SplitBrainResolver = null,
            })
            .AddHocon($"""
                akka.cluster.downing-provider-class = "{typeof(ServerMajorityDowningProvider).FullName}, {typeof(ServerMajorityDowningProvider).Assembly.GetName().Name}"
                {ServerMajorityDowningProvider.StableAfterPath} = {node.DownUnreachableAfter.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}ms
                """, HoconAddMode.Prepend)
            .WithCustomSerializer("collabvlm", [typeof(IProtocolMessage)], system => new ProtocolSerializer(system))
            // Live while the ActorSystem runs; ready once this node is Up in the cluster (servers add "model loaded").
            .WithActorSystemLivenessCheck(tags: [HealthTags.Live])
            .WithAkkaClusterReadinessCheck(tags: [HealthTags.Ready]);
        if (node.Discovery == ClusterDiscovery.KubernetesApi) builder.WithKubernetesBootstrap(node);
        return builder.WithActors((system, _) =>
        {
            AkkaManagementHttp.RefuseAutoStart(system);
            provider?.GetService<CollabVlmMetrics>()?.ObserveCluster(system);
            if (node.Discovery == ClusterDiscovery.KubernetesApi && node.Seeds.Count > 0)
                system.Log.Warning("Cluster:Seeds ({0}) not used: Cluster:Discovery is KubernetesApi, so bootstrap finds the peers", string.Join(", ", node.Seeds));
            if (node.Discovery == ClusterDiscovery.Seeds && node.Seeds.Count == 0)
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            }
        });
    }
}

using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.NodeDefaults;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// Wires an edge node: cluster role <c>edge</c>, a <see cref="ServerDirectory"/> to the servers' gateways, and
/// <c>deviceCount</c> devices sharing the node's <paramref name="uplink"/> (null: the real network). With
/// <see cref="EdgeSettings.ProposeRegions"/> on, the devices share one text detector (<see cref="TiledTextProposer"/>,
/// loaded with <paramref name="detector"/>, by default the reader's model found as the reader finds it).
/// </summary>
public static class EdgeHostingExtensions
{
    public static IServiceCollection AddCollabVlmEdge(this IServiceCollection services, ClusterNodeOptions node, EdgeSettings settings,
        int deviceCount = 1, string deviceNamePrefix = "edge", IUplink? uplink = null, LinkEstimatorSettings? link = null, ReaderOptions? detector = null)
    {
        if (link?.Validate() is { } badLink) throw new ArgumentException(badLink);
        if (settings.Validate() is { } problem) throw new ArgumentException(problem);
        if (deviceCount < 1) throw new ArgumentOutOfRangeException(nameof(deviceCount), "an edge node hosts at least one device");
        var devices = new EdgeDeviceSet();
        services.AddSingleton(settings);
        services.AddSingleton(devices);
        // A singleton, so the host frees it on shutdown, after the actors (whose scans it waits for).
        if (settings.ProposeRegions)
            services.AddSingleton(_ => new TiledTextProposer(detector ?? new ReaderOptions(), settings.ProposalMaxPixels, settings.ProposalTimeBudget));
        services.AddAkka(node.SystemName, (builder, provider) => builder
            .WithCollabVlmNode(node, ClusterRoles.Edge, provider)
            .WithActors((system, registry) =>
            {
                // To the server with the shortest predicted wait (each server reports it); a re-submission goes by the same rule.
                var servers = system.ActorOf(ServerDirectory.Props(), ServerDirectory.Name);
                var materializer = system.Materializer();
                var metrics = provider.GetService<CollabVlmMetrics>();
                var proposer = provider.GetService<TiledTextProposer>();
                metrics?.InitializeEdgeSeries();
                for (var i = 0; i < deviceCount; i++)
                {
                    var id = new EdgeId($"{deviceNamePrefix}-{i}");
                    devices.Add(system.ActorOf(EdgeDevice.Props(id, servers, settings, materializer, uplink, link, metrics, proposer), $"device-{i}"));
                    // A device's belief before any transfer (confidence 0); the device updates it from then on.
                    metrics?.RecordLinkView(id, LinkView.Unknown);
                }
                registry.Register<EdgeDevice>(devices.Devices[0]);
            }));
        return services;
    }
}

using Akka.Actor;
using Akka.Event;
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
        // A singleton, so the host frees it on shutdown, after the actors (whose scans it waits for). A camera image
        // built without the model still serves, with the server's regions: it says so once at start-up.
        var withoutScan = settings.ProposeRegions ? AddTextDetector(services, settings, detector ?? new ReaderOptions()) : null;
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
                if (withoutScan is not null)
                    system.Log.Warning("Edge:ProposeRegions is on, but this node has no text detector, so its devices send the server's regions as they are: {0}", withoutScan);
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

    /// <summary>Registers the node's text detector; returns why there is none when its model files are nowhere to be found.</summary>
    private static string? AddTextDetector(IServiceCollection services, EdgeSettings settings, ReaderOptions detector)
    {
        if (ReaderModelFiles.LocateIfPresent(detector.ModelDirectory, out var problem) is not { } files) return problem;
        // The folder just found, so the detector does not search the parent folders again.
        services.AddSingleton(_ => new TiledTextProposer(detector with { ModelDirectory = files.Directory }, settings.ProposalMaxPixels, settings.ProposalTimeBudget));
        return null;
    }
}

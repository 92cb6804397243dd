using System.CommandLine;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.NodeDefaults;
using CollabVlm.Simulation.Hosting;
using CollabVlm.Simulation.Uplink;
using CollabVlm.TwoStage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabVlm.EdgeNode;

/// <summary>The edge executable's verbs and flags; flags map onto configuration keys (see <see cref="CommonFlags"/>).</summary>
public static class EdgeCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("CollabVlm edge node: sends downscaled frames and questions, streams detail on request.");
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(AskCommand.Build());
        return root;
    }

    /// <summary>Flags every edge verb has, on top of the common ones.</summary>
    public static CommonFlags EdgeFlags()
    {
        var flags = new CommonFlags();
        flags.Add(new Option<int>("--global-size") { Description = "long side of the global image, pixels (default 768)" }, "Edge:GlobalLongSide");
        flags.Add(new Option<int>("--jpeg-quality") { Description = "JPEG quality of the global image, 1–100 (default 80)" }, "Edge:GlobalJpegQuality");
        flags.Add(new Option<TimeSpan>("--deadline") { Description = "time allowed per query, e.g. 00:00:20 (default 30 s)" }, "Edge:DefaultDeadline");
        flags.Add(new Option<bool>("--shape-uplink") { Description = "emulate a slow uplink on this node (tests, demos; off in production)" }, "Uplink:Enabled");
        flags.Add(new Option<long>("--uplink-bps") { Description = "emulated uplink rate, bits per second (default 1000000)" }, "Uplink:BitsPerSecond");
        flags.Add(new Option<TimeSpan>("--uplink-delay") { Description = "emulated one-way delay, e.g. 00:00:00.025 (default 25 ms)" }, "Uplink:OneWayDelay");
        return flags;
    }

    public static IHost BuildHost(IConfiguration configuration, int devices)
    {
        var node = NodeConfiguration.Bind<ClusterNodeOptions>(configuration, "Cluster", n => n.Validate());
        // A one-shot command has no HTTP host, so it cannot serve the bootstrap contact point its peers would probe.
        if (node.Discovery == ClusterDiscovery.KubernetesApi)
            throw new SettingsException("Cluster:Discovery=KubernetesApi needs a long-running node (`collabvlm-edge serve`); `ask` joins through Cluster:Seeds");
        var settings = NodeConfiguration.Bind<EdgeSettings>(configuration, "Edge", s => s.Validate());
        var uplink = NodeConfiguration.Bind<UplinkSettings>(configuration, "Uplink", u => u.Validate());
        var link = NodeConfiguration.Bind<LinkEstimatorSettings>(configuration, "Link", l => l.Validate());
        return Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddConfiguration(configuration))
            .ConfigureServices(s => s.AddCollabVlmEdge(node, settings, devices, Environment.MachineName.ToLowerInvariant(), UplinkShaper.Create(uplink), link))
            .Build();
    }

    /// <summary>A long-running edge node: devices, optional simulated load, metrics and health endpoints.</summary>
    public static IHost BuildServeHost(IConfiguration configuration, int devices)
    {
        var node = NodeConfiguration.Bind<ClusterNodeOptions>(configuration, "Cluster", n => n.Validate());
        var settings = NodeConfiguration.Bind<EdgeSettings>(configuration, "Edge", s => s.Validate());
        var simulation = NodeConfiguration.Bind<SimulationSettings>(configuration, "Simulation", s => s.Validate());
        return NodeHostBuilder.Create(configuration, "collabvlm-edge", node)
            .ConfigureServices(s => s
                .AddCollabVlmEdge(node, settings, devices, Environment.MachineName.ToLowerInvariant())
                .AddSingleton(simulation)
                .AddHostedService<SimulatedCameras>())
            .Build();
    }

    private static Command Serve()
    {
        var flags = EdgeFlags();
        flags.Add(new Option<int>("--http-port") { Description = $"port of the metrics and health endpoints (default {HttpSettings.DefaultEdgePort}; 0 = any free port)" }, "Http:Port");
        flags.Add(new Option<TimeSpan>("--ask-every") { Description = "each device asks about a generated frame this often, e.g. 00:00:02 (default: never)" }, "Simulation:AskInterval");
        flags.Add(new Option<string>("--frames") { Description = "folder of JPEG frames the devices cycle through instead of rendering one per question" }, "Simulation:FrameFolder");
        flags.Add(new Option<int>("--questions-per-device") { Description = "each device stops after this many questions (default: no limit)" }, "Simulation:QuestionsPerDevice");
        flags.Add(new Option<string>("--outcome-log") { Description = "append one JSON line per question asked and per outcome to this file" }, "Simulation:OutcomeLog");
        var devices = new Option<int>("--devices") { Description = "camera devices this node hosts", DefaultValueFactory = _ => 1 };
        var command = new Command("serve", "run an edge node that hosts camera devices until stopped");
        flags.AddTo(command);
        command.Options.Add(devices);
        command.SetAction((parse, cancellationToken) => CommonFlags.ReportingSettingsErrors(async () =>
        {
            using var host = BuildServeHost(flags.Configuration(parse), parse.GetValue(devices));
            await host.RunNodeAsync(cancellationToken);
            return 0;
        }));
        return command;
    }
}

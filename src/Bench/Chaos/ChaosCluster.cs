using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// The processes of a chaos run (and their namespaces when there are any). Disposing kills every process and removes
/// every namespace; it also runs when the bench process exits some other way, so nothing outlives the bench.
/// </summary>
public sealed class ChaosCluster : IDisposable
{
    private const int NamespacePort = 4053;
    private readonly List<NodeProcess> _nodes = [];
    private int _disposed;

    private ChaosCluster(NamespaceNetwork? network)
    {
        Network = network;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Null on loopback.</summary>
    public NamespaceNetwork? Network { get; }

    public IReadOnlyList<NodeProcess> Nodes => _nodes;

    public NodeProcess this[string name] => _nodes.Single(n => n.Name == name);

    public IEnumerable<NodeProcess> Servers => _nodes.Where(n => n.Role == NodeRole.Server);

    public IEnumerable<NodeProcess> Edges => _nodes.Where(n => n.Role == NodeRole.Edge);

    /// <summary>
    /// A cluster of nodes the caller adds itself (<see cref="Add"/>), on <paramref name="network"/>; disposing it kills
    /// them and removes the network, as for a chaos run.
    /// </summary>
    public static ChaosCluster Of(NamespaceNetwork? network) => new(network);

    /// <summary>Takes a node into the cluster (started by <see cref="StartAsync"/>, killed on dispose).</summary>
    public NodeProcess Add(NodeProcess node)
    {
        _nodes.Add(node);
        return node;
    }

    /// <summary>Sets up the network and the nodes' command lines; starts nothing.</summary>
    public static ChaosCluster Create(ChaosOptions options, bool namespaces, string framesFolder)
    {
        var names = options.ServerNames.Concat(options.EdgeNames).ToList();
        var network = namespaces
            ? NamespaceNetwork.Create(names, n => n.StartsWith("server", StringComparison.Ordinal) ? options.ServerLink : options.EdgeLink)
            : null;
        var cluster = new ChaosCluster(network);
        try
        {
            var endpoints = names.ToDictionary(n => n, n => network is null ? ("127.0.0.1", FreePort()) : (network.Address(n), NamespacePort));
            var seeds = options.ServerNames.SelectMany(s => new[] { "--seed", $"akka.tcp://collabvlm@{endpoints[s].Item1}:{Text(endpoints[s].Item2)}" }).ToList();
            foreach (var name in names)
            {
                var server = name.StartsWith("server", StringComparison.Ordinal);
                var (host, port) = endpoints[name];
                List<string> arguments = server
                    ? [options.ServerDll, .. options.ModelDir is { } m ? new[] { "--model-dir", m } : []]
                    : [options.EdgeDll, "serve", "--devices", Text(options.CamerasPerEdge), "--ask-every", Span(options.AskInterval),
                       "--questions-per-device", Text(options.QuestionsPerCamera), "--frames", framesFolder, "--deadline", Span(options.Deadline),
                       "--outcome-log", OutcomeLog(options, name)];
                arguments.AddRange(["--hostname", host, "--port", Text(port), "--http-port", "0", .. seeds]);
                var cores = server && options.ServerCores.Count > 0 ? options.ServerCores[int.Parse(name["server".Length..], CultureInfo.InvariantCulture) % options.ServerCores.Count] : null;
                var start = StartInfo(network?.NamespaceOf(name), cores, arguments, options);
                if (server && options.ServerSpinning is { } spinning) start.Environment["COLLABVLM_Model__IntraOpSpinning"] = spinning ? "true" : "false";
                if (!server) WithoutTextScan(start);
                cluster._nodes.Add(new NodeProcess(name, server ? NodeRole.Server : NodeRole.Edge, $"{host}:{Text(port)}", start, Path.Combine(options.Output, $"{name}.log"),
                    server ? null : OutcomeLog(options, name)));
            }
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public static string OutcomeLog(ChaosOptions options, string edge) => Path.Combine(options.Output, $"{edge}.outcomes.jsonl");

    /// <summary>Starts the nodes one group at a time and waits until each is ready (or fails, naming the node and its log).</summary>
    public async Task StartAsync(IEnumerable<NodeProcess> nodes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var group = nodes.ToList();
        foreach (var node in group) node.Start();
        var deadline = DateTime.UtcNow + timeout;
        while (group.Any(n => !n.IsReady))
        {
            foreach (var node in group) node.SamplePeakRss();
            if (group.FirstOrDefault(n => !n.IsRunning) is { } dead)
                throw new InvalidOperationException($"{dead.Name} exited (code {dead.ExitCode}) before it was ready; see {dead.Name}.log");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{string.Join(", ", group.Where(n => !n.IsReady).Select(n => n.Name))} not ready within {timeout.TotalSeconds:0} s; see their logs");
            await Task.Delay(250, cancellationToken);
        }
    }

    public void SamplePeakRss()
    {
        foreach (var node in _nodes) node.SamplePeakRss();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var node in _nodes) node.Signal("CONT");  // a stopped process would hold its namespace's interfaces busy
        foreach (var node in _nodes) node.Dispose();
        Network?.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    /// <param name="cores">A CPU list the node is pinned to with taskset; null: unpinned.</param>
    private static ProcessStartInfo StartInfo(string? ns, string? cores, List<string> arguments, ChaosOptions options)
    {
        var info = NodeStartInfo(ns, cores, arguments, options.Output);
        if (options.DownUnreachableAfter is { } after) info.Environment["COLLABVLM_Cluster__DownUnreachableAfter"] = Span(after);
        return info;
    }

    /// <summary>
    /// Turns the edge's text scan off (<c>Edge:ProposeRegions</c>): the benches' cameras are simulated on the machine
    /// that runs the servers, where a scan per question would take CPU from the inference under test (a real camera
    /// scans on its own CPU), and what they measure (failures, the link) does not depend on where a region lies.
    /// </summary>
    public static ProcessStartInfo WithoutTextScan(ProcessStartInfo edge)
    {
        edge.Environment["COLLABVLM_Edge__ProposeRegions"] = "false";
        return edge;
    }

    /// <summary>
    /// How a node process is started: <c>dotnet ARGUMENTS</c>, inside namespace <paramref name="ns"/> and pinned to
    /// <paramref name="cores"/> when given (see <see cref="Launch"/>), with none of the bench's own <c>COLLABVLM_*</c>
    /// settings (only the model and font folders) and no colour codes.
    /// </summary>
    public static ProcessStartInfo NodeStartInfo(string? ns, string? cores, IEnumerable<string> arguments, string workingDirectory)
    {
        var launch = Launch(ns, cores, DotnetHost());
        var info = new ProcessStartInfo(launch[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in launch.Skip(1).Concat(arguments)) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("COLLABVLM_", StringComparison.Ordinal)).ToList())
            if (key is not ("COLLABVLM_MODEL_DIR" or "COLLABVLM_FONT_DIR")) info.Environment.Remove(key);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        return info;
    }

    /// <summary>
    /// The program and the arguments before the node's own: dotnet, entered into a namespace with <c>ip netns exec</c>
    /// and pinned with <c>taskset -c</c> where asked. Both exec the next program, so the pid the bench holds is the node's.
    /// </summary>
    public static IReadOnlyList<string> Launch(string? ns, string? cores, string dotnet) =>
        [.. ns is null ? [] : new[] { "ip", "netns", "exec", ns }, .. cores is null ? [] : new[] { "taskset", "-c", cores }, dotnet];

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

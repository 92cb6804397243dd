using System.Globalization;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Puts each node in its own network namespace, joined to a bridge that lives in a namespace of its own by a veth
/// pair, with a qdisc (tbf or netem, see <see cref="LinkShape"/>) on both ends of each pair (the node's uplink and downlink). Partitions are blackhole routes in
/// the nodes' namespaces (both directions), so packets vanish silently as in a real partition and nothing outside
/// the run's namespaces is touched. Disposing deletes the namespaces, which deletes their veths and bridge.
/// </summary>
public sealed class NamespaceNetwork : IDisposable
{
    private readonly string _tag;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkShape> _shape = new(StringComparer.Ordinal);
    private readonly List<string> _namespaces = [];

    // Nodes whose links carry a shaping qdisc (an unshaped link gets one only once a rate change asks for it).
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);

    private NamespaceNetwork(string tag) => _tag = tag;

    /// <summary>Null when this process may run namespaces (root, <c>ip netns</c> and <c>tc</c> work), else why not.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Environment.UserName != "root") return $"network namespaces need root (running as {Environment.UserName})";
        foreach (var (tool, args) in new[] { ("ip", new[] { "netns", "list" }), ("tc", new[] { "qdisc", "show", "dev", "lo" }) })
        {
            try
            {
                var (code, _, stderr, line) = HostCommand.TryRun(tool, args);
                if (code != 0) return $"`{line}` failed: {stderr.Trim()}";
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return $"`{tool}` is not available: {e.Message}";
            }
        }
        return null;
    }

    /// <summary>Creates the bridge and one namespace per node, each link shaped as <paramref name="shapes"/> says.</summary>
    public static NamespaceNetwork Create(IReadOnlyList<string> nodes, Func<string, LinkShape> shapes)
    {
        if (nodes.Count > 250) throw new ArgumentException("at most 250 nodes fit the run's /24", nameof(nodes));
        // Short and unique per run: interface names must stay within 15 characters.
        var network = new NamespaceNetwork($"cv{Environment.ProcessId % 100000}");
        try
        {
            var bridge = network.Namespace("br");
            network.Add(bridge);
            network.InBridge("ip", "link", "add", "br0", "type", "bridge");
            network.InBridge("ip", "link", "set", "br0", "up");
            for (var i = 0; i < nodes.Count; i++) network.Join(nodes[i], i, shapes(nodes[i]));
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The node's address inside its namespace.</summary>
    public string Address(string node) => $"10.77.0.{_index[node] + 1}";

    /// <summary>The namespace a node's process runs in (<c>ip netns exec NAME …</c>).</summary>
    public string NamespaceOf(string node) => Namespace(node);

    /// <summary>Sets a node's link rate (both directions), keeping its delay and loss.</summary>
    public void SetRate(string node, long bitsPerSecond)
    {
        _shape[node] = _shape[node] with { BitsPerSecond = bitsPerSecond };
        Shape(node);
    }

    public LinkShape ShapeOf(string node) => _shape[node];

    public void Partition(IEnumerable<string> side, IEnumerable<string> others) => Routes("add", side.ToList(), others.ToList());

    public void Heal(IEnumerable<string> side, IEnumerable<string> others) => Routes("del", side.ToList(), others.ToList());

    public void Dispose()
    {
        // Deleting a namespace deletes the interfaces in it, so the veth pairs and the bridge go with them.
        foreach (var ns in Enumerable.Reverse(_namespaces)) HostCommand.TryRun("ip", ["netns", "del", ns]);
        _namespaces.Clear();
    }

    private void Join(string node, int index, LinkShape shape)
    {
        _index[node] = index;
        _shape[node] = shape;
        var ns = Namespace(node);
        Add(ns);
        var (inner, outer) = (Veth(index, 'n'), Veth(index, 'b'));
        HostCommand.Run("ip", "link", "add", inner, "type", "veth", "peer", "name", outer);
        HostCommand.Run("ip", "link", "set", inner, "netns", ns);
        HostCommand.Run("ip", "link", "set", outer, "netns", Namespace("br"));
        InBridge("ip", "link", "set", outer, "master", "br0");
        InBridge("ip", "link", "set", outer, "up");
        In(ns, "ip", "link", "set", inner, "name", "eth0");
        In(ns, "ip", "addr", "add", $"{Address(node)}/24", "dev", "eth0");
        In(ns, "ip", "link", "set", "eth0", "up");
        In(ns, "ip", "link", "set", "lo", "up");
        Shape(node);
    }

    private void Shape(string node)
    {
        var shape = _shape[node];
        if (shape.IsUnshaped && !_applied.Contains(node)) return;
        var qdisc = shape.QdiscArguments();
        try
        {
            In(Namespace(node), ["tc", "qdisc", "replace", "dev", "eth0", "root", .. qdisc]);
            InBridge(["tc", "qdisc", "replace", "dev", Veth(_index[node], 'b'), "root", .. qdisc]);
        }
        catch (InvalidOperationException e) when (qdisc[0] == "netem" && e.Message.Contains("unknown", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{node}'s link {shape}: this kernel has no netem qdisc (module sch_netem), so delay and loss cannot be shaped; give a rate alone (tbf). {e.Message}", e);
        }
        _applied.Add(node);
    }

    private void Routes(string verb, List<string> side, List<string> others)
    {
        foreach (var (from, to) in side.SelectMany(a => others.Select(b => (a, b))).Concat(others.SelectMany(b => side.Select(a => (b, a)))))
            In(Namespace(from), "ip", "route", verb, "blackhole", $"{Address(to)}/32");
    }

    private void Add(string ns)
    {
        HostCommand.Run("ip", "netns", "add", ns);
        _namespaces.Add(ns);
    }

    private string Namespace(string node) => $"{_tag}-{node}";

    private string Veth(int index, char end) => $"{_tag}{end}{index.ToString(CultureInfo.InvariantCulture)}";

    private void InBridge(params string[] command) => In(Namespace("br"), command);

    private static void In(string ns, params string[] command) => HostCommand.Run("ip", ["netns", "exec", ns, .. command]);
}

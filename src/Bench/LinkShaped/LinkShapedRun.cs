using System.Globalization;
using CollabVlm.Bench.Chaos;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// One link-shaped run: a <c>collabvlm-server</c> and, for each rate, a fresh <c>collabvlm-edge serve</c> with one
/// camera, each process in its own network namespace, the edge's veth shaped by tbf (both ends). The camera asks
/// questions back to back; the server's η makes nearly every one upload local layers after its global image. After a
/// phase the rate drops; after the second phase the edge is killed and the next rate starts with a fresh estimator.
/// </summary>
public static class LinkShapedRun
{
    private const string Server = "server0";
    private const string Edge = "edge0";
    private const int ClusterPort = 4053;

    /// <summary>Each node has a namespace of its own, so a fixed port cannot collide.</summary>
    private const int EdgeHttpPort = 9465;

    /// <exception cref="InvalidOperationException">The run cannot be set up (a bad setting, no namespaces or curl, a node that did not start).</exception>
    public static async Task<LinkShapedResults> RunAsync(LinkShapedOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        if (options.Problem() is { } problem) throw new InvalidOperationException(problem);
        if ((NamespaceNetwork.WhyUnavailable() ?? EdgeLinkProbe.WhyUnavailable()) is { } why)
            throw new InvalidOperationException($"link-shaped runs the nodes in network namespaces behind tbf: {why}");
        Directory.CreateDirectory(options.Output);
        var frames = CameraFrameFolder.Render(Path.Combine(options.Output, "frames"), options.Frames);

        var network = NamespaceNetwork.Create([Server, Edge], n => n == Edge ? new LinkShape(options.Rates[0], TimeSpan.Zero, 0) : LinkShape.Unshaped);
        using var cluster = ChaosCluster.Of(network);
        var seed = $"akka.tcp://collabvlm@{network.Address(Server)}:{Text(ClusterPort)}";
        List<string> serverArguments = [options.ServerDll, .. options.ModelDir is { } m ? new[] { "--model-dir", m } : [],
            "--threshold", options.Threshold.ToString(CultureInfo.InvariantCulture), .. Endpoint(network, Server, seed), "--http-port", "0"];
        var server = cluster.Add(new NodeProcess(Server, NodeRole.Server, $"{network.Address(Server)}:{Text(ClusterPort)}",
            ChaosCluster.NodeStartInfo(network.NamespaceOf(Server), null, serverArguments, options.Output), Path.Combine(options.Output, $"{Server}.log")));
        progress("starting the server (it loads the model)");
        await cluster.StartAsync([server], options.StartTimeout, cancellationToken);

        var phases = new List<LinkPhase>();
        var probe = new EdgeLinkProbe(network.NamespaceOf(Edge), EdgeHttpPort);
        foreach (var (step, rate) in options.Rates.Select((r, i) => (i, r)))
        {
            network.SetRate(Edge, rate);
            var name = $"{Edge}-{Text(step)}";
            var outcomeLog = Path.Combine(options.Output, $"{name}.outcomes.jsonl");
            File.Delete(outcomeLog);
            List<string> edgeArguments = [options.EdgeDll, "serve", "--devices", "1", "--ask-every", Span(options.AskInterval), "--frames", frames,
                "--deadline", Span(options.Deadline), "--outcome-log", outcomeLog, .. Endpoint(network, Edge, seed), "--http-port", Text(EdgeHttpPort)];
            var edge = cluster.Add(new NodeProcess(name, NodeRole.Edge, $"{network.Address(Edge)}:{Text(ClusterPort)}",
                ChaosCluster.WithoutTextScan(ChaosCluster.NodeStartInfo(network.NamespaceOf(Edge), null, edgeArguments, options.Output)), Path.Combine(options.Output, $"{name}.log"), outcomeLog));
            progress($"{LinkShapedOptions.RateName(rate)}: starting the edge");
            await cluster.StartAsync([edge], options.StartTimeout, cancellationToken);

            var sampler = new PhaseSampler(probe, edge, options, progress);
            var firstStart = Now();
            await sampler.SampleAsync(rate, Now() + (long)options.Phase.TotalMilliseconds, cancellationToken);
            var dropped = (long)Math.Round(rate / options.DropFactor);
            network.SetRate(Edge, dropped);
            var secondStart = Now();
            progress($"rate {LinkShapedOptions.RateName(rate)} → {LinkShapedOptions.RateName(dropped)}");
            await sampler.SampleAsync(dropped, secondStart + (long)options.Phase.TotalMilliseconds, cancellationToken);
            var end = Now();
            edge.Kill();

            var outcomes = QuestionAccounting.Read(outcomeLog);
            phases.Add(sampler.Analyse(step, false, rate, firstStart, secondStart, outcomes));
            phases.Add(sampler.Analyse(step, true, dropped, secondStart, end, outcomes));
            foreach (var phase in phases.TakeLast(2)) progress(LinkShapedReport.Line(phase));
        }
        return new LinkShapedResults(options.DropFactor, options.Phase.TotalSeconds, options.AskInterval.TotalSeconds, options.Deadline.TotalSeconds,
            options.Threshold, options.MaxError, phases);
    }

    private static string[] Endpoint(NamespaceNetwork network, string node, string seed) =>
        ["--hostname", network.Address(node), "--port", Text(ClusterPort), "--seed", seed];

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

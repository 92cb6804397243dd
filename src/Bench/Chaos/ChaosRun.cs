using System.Diagnostics;
using System.Globalization;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// One chaos run from start to end: renders the frames once, starts the servers (waiting for each to load its model
/// and join) and then the edges, carries out the fault schedule, waits until every question has ended (or could
/// no longer end), then stops every process and accounts for every question.
/// </summary>
public static class ChaosRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <exception cref="FormatException">A fault is malformed.</exception>
    /// <exception cref="InvalidOperationException">The run cannot be set up (namespaces unavailable, a node failed to start).</exception>
    public static async Task<ChaosResults> RunAsync(ChaosOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        if (options.Problem() is { } problem) throw new InvalidOperationException(problem);
        var faults = FaultSchedule.Parse(options.FaultSpecs, options.ServerNames, options.EdgeNames);
        var namespaces = UseNamespaces(options, faults);
        Directory.CreateDirectory(options.Output);
        foreach (var edge in options.EdgeNames) File.Delete(ChaosCluster.OutcomeLog(options, edge));
        var frames = RenderFrames(options);
        progress($"{options.Servers} server(s), {options.Edges} edge(s) × {options.CamerasPerEdge} camera(s), {options.ExpectedQuestions} question(s), {(namespaces ? "network namespaces" : "loopback")}");

        using var cluster = ChaosCluster.Create(options, namespaces, frames);
        var servers = cluster.Servers.ToList();
        await cluster.StartAsync(servers.Take(1), options.StartTimeout, cancellationToken);
        await cluster.StartAsync(servers.Skip(1), options.StartTimeout, cancellationToken);
        progress("servers ready; starting the edges");
        var clock = Stopwatch.StartNew();
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await cluster.StartAsync(cluster.Edges, options.StartTimeout, cancellationToken);

        var injector = new FaultInjector(cluster, faults, clock);
        using var stopFaults = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var injecting = injector.RunAsync(stopFaults.Token);
        // A camera asks its next question an interval after the last one ended, and each may take the edge's whole
        // patience: past that bound a question still open is stuck, not slow. A healthy run settles long before.
        var workload = (options.AskInterval + options.Patience) * options.QuestionsPerCamera + options.AskInterval;
        var limit = (injector.End > workload ? injector.End : workload) + TimeSpan.FromSeconds(60);
        var settled = false;
        while (clock.Elapsed < limit)
        {
            await Task.Delay(Poll, cancellationToken);
            cluster.SamplePeakRss();
            if (injecting.IsFaulted) await injecting;  // a failed tc/ip command ends the run with its message
            settled = injecting.IsCompleted && cluster.Edges.All(e => Settled(options, e, injector));
            if (settled) break;
            if ((int)clock.Elapsed.TotalSeconds % 10 == 0) progress($"{clock.Elapsed.TotalSeconds:0} s: {Progress(options)}");
        }
        await stopFaults.CancelAsync();
        cluster.SamplePeakRss();
        var workloadSeconds = clock.Elapsed.TotalSeconds;
        var nodes = cluster.Nodes.Select(n => new NodeSummary(n.Name, n.Role.ToString().ToLowerInvariant(), n.Starts, n.PeakRssBytes / 1048576.0, n.ExitCode)).ToList();
        cluster.Dispose();

        var logs = options.EdgeNames.ToDictionary(e => e, e => QuestionAccounting.Read(ChaosCluster.OutcomeLog(options, e)));
        // A restarted edge asks its cameras' questions again.
        var expected = cluster.Edges.Sum(e => e.Starts) * options.CamerasPerEdge * options.QuestionsPerCamera;
        var tally = QuestionAccounting.Tally(logs, expected, startMs);
        return new ChaosResults(namespaces ? "namespaces" : "loopback", options.Servers, options.Edges, options.CamerasPerEdge, options.QuestionsPerCamera,
            options.AskInterval.TotalSeconds, options.Deadline.TotalSeconds, options.EdgeLink.ToString(), options.ServerLink.ToString(),
            injector.Events, nodes, tally, workloadSeconds, settled);
    }

    private static bool UseNamespaces(ChaosOptions options, IReadOnlyList<Fault> faults)
    {
        var why = options.Network == ChaosNetwork.Loopback ? "--network loopback was asked for" : NamespaceNetwork.WhyUnavailable();
        if (why is null) return true;
        if (options.Network == ChaosNetwork.Namespaces) throw new InvalidOperationException($"--network namespaces: {why}");
        if (faults.FirstOrDefault(f => f.NeedsNamespaces) is { } fault) throw new InvalidOperationException($"fault \"{fault.Describe()}\" needs network namespaces: {why}");
        if (!options.EdgeLink.IsUnshaped || !options.ServerLink.IsUnshaped) throw new InvalidOperationException($"shaped links need network namespaces: {why}");
        return false;
    }

    /// <summary>An edge is done when all its questions were asked and ended, or when it is down for good.</summary>
    private static bool Settled(ChaosOptions options, NodeProcess edge, FaultInjector injector)
    {
        if (!edge.IsRunning) return !injector.RestartsLater(edge.Name);
        var lines = QuestionAccounting.Read(ChaosCluster.OutcomeLog(options, edge.Name));
        // Only this incarnation's questions can still end; a previous life's unanswered ones are lost already.
        var life = $"{edge.Pid?.ToString(CultureInfo.InvariantCulture)}/";
        var asked = lines.Where(l => l.Event == OutcomeLine.Asked && l.Question.StartsWith(life, StringComparison.Ordinal)).Select(l => l.Question).ToHashSet(StringComparer.Ordinal);
        var ended = lines.Where(l => l.Event == OutcomeLine.Ended).Select(l => l.Question).ToHashSet(StringComparer.Ordinal);
        return asked.Count >= options.CamerasPerEdge * options.QuestionsPerCamera && asked.IsSubsetOf(ended);
    }

    private static string Progress(ChaosOptions options)
    {
        var lines = options.EdgeNames.SelectMany(e => QuestionAccounting.Read(ChaosCluster.OutcomeLog(options, e))).ToList();
        return $"{lines.Count(l => l.Event == OutcomeLine.Asked)} asked, {lines.Count(l => l.Outcome == OutcomeLine.Answered)} answered, {lines.Count(l => l.Outcome == OutcomeLine.Failed)} failed";
    }

    private static string RenderFrames(ChaosOptions options) => CameraFrameFolder.Render(Path.Combine(options.Output, "frames"), options.Frames);
}

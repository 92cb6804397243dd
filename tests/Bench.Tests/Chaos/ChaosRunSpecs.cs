using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.Tests.Chaos;

/// <summary>
/// Short chaos runs of the real executables (the long ones are <c>collabvlm-bench chaos</c> commands): a server
/// SIGKILLed mid-run, a server paused (SIGSTOP) for 20 s, and partitions that heal — edges from servers, and
/// server from server. Each asserts that every
/// question ended exactly once, never how fast. The two run one after the other (one class), so they do not compete
/// for the machine's cores.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class ChaosRunSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    private ChaosOptions Options(ChaosNetwork network, params string[] faults) => new()
    {
        Servers = 2,
        Edges = 1,
        CamerasPerEdge = 3,
        QuestionsPerCamera = 4,
        AskInterval = TimeSpan.FromSeconds(3),
        // Short, so that a question the system dropped is known lost within a minute and a half rather than six.
        Deadline = TimeSpan.FromSeconds(15),
        Frames = 4,
        Network = network,
        FaultSpecs = faults,
        Output = _folder.Path,
        ServerDll = ChaosExecutables.Server,
        EdgeDll = ChaosExecutables.Edge,
    };

    [Fact]
    public async Task A_server_killed_mid_run_loses_no_question()
    {
        var results = await RunAsync(Options(ChaosNetwork.Loopback, "5s kill server0"));

        Assert.Contains(results.Faults, f => f.What == "kill server0");
        Assert.Equal(137, results.Nodes.Single(n => n.Name == "server0").ExitCode);  // 128 + SIGKILL: it really died
        AssertEveryQuestionEndedOnce(results);
        Assert.True(results.Tally.Answered > 0, Describe(results));
    }

    [Fact]
    public async Task A_partition_of_the_edges_from_the_servers_that_heals_loses_no_question()
    {
        RequireNamespaces();

        var results = await RunAsync(Options(ChaosNetwork.Namespaces, "4s partition edges | servers for 10s"));

        Assert.Equal("namespaces", results.Network);
        Assert.Equal(["partition edge0 | server0,server1 for 10 s", "healed: partition edge0 | server0,server1 for 10 s"], results.Faults.Select(f => f.What));
        AssertEveryQuestionEndedOnce(results);
        // The cluster came back together: questions asked after the heal were answered.
        Assert.True(results.Tally.Answered > 0, Describe(results));
    }

    [Fact]
    public async Task A_server_paused_for_20_seconds_loses_no_question()
    {
        var results = await RunAsync(Options(ChaosNetwork.Loopback, "4s stop server0 for 20s"));

        Assert.Equal(["pause server0 for 20 s", "healed: pause server0 for 20 s"], results.Faults.Select(f => f.What));
        AssertEveryQuestionEndedOnce(results);
        Assert.True(results.Tally.Answered > 0, Describe(results));
    }

    [Fact]
    public async Task A_partition_between_the_servers_that_heals_loses_no_question()
    {
        RequireNamespaces();

        var results = await RunAsync(Options(ChaosNetwork.Namespaces, "4s partition server0 | server1 for 10s"));

        Assert.Equal(["partition server0 | server1 for 10 s", "healed: partition server0 | server1 for 10 s"], results.Faults.Select(f => f.What));
        AssertEveryQuestionEndedOnce(results);
        Assert.True(results.Tally.Answered > 0, Describe(results));
    }

    private static void RequireNamespaces()
    {
        if (NamespaceNetwork.WhyUnavailable() is { } why)
            Assert.Fail($"this test runs the nodes in network namespaces (root, `ip netns`, `tc`): {why}");
    }

    private async Task<ChaosResults> RunAsync(ChaosOptions options)
    {
        var results = await ChaosRun.RunAsync(options, _ => { }, CancellationToken.None);
        // The report is what a person reads when the assertion fails in CI.
        ChaosReport.Write(options.Output, results, "test");
        return results;
    }

    private static void AssertEveryQuestionEndedOnce(ChaosResults results)
    {
        var tally = results.Tally;
        Assert.True(results.SettledInTime, $"the run hit its time limit with questions still open.\n{Describe(results)}");
        Assert.True(tally.Lost == 0, $"{tally.Lost} question(s) lost: {string.Join(", ", tally.LostQuestions)}\n{Describe(results)}");
        Assert.True(tally.Duplicates == 0, $"{tally.Duplicates} duplicate outcome(s).\n{Describe(results)}");
        Assert.Equal(tally.Expected, tally.Asked);
        Assert.Equal(tally.Asked, tally.Answered + tally.Failed);
    }

    private static string Describe(ChaosResults results) => ChaosReport.Markdown(results, "test");

    public void Dispose() => _folder.Dispose();
}

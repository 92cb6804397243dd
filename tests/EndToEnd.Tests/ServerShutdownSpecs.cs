using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>
/// A clean shutdown, as Kubernetes does it at every scale-down: SIGTERM to a server process while its model is busy.
/// It must stop admitting, drain or hand back its queries, leave the cluster and exit with code 0 (no crash from the
/// model being disposed under a running call), and a question asked meanwhile is still answered.
/// </summary>
[Collection(ServerCrashCollection.Name)]
public sealed class ServerShutdownSpecs : IDisposable
{
    private const string Question = "What does the sign say?";
    private readonly TestFrames _frames = new();

    [Fact]
    public async Task SIGTERM_during_a_running_model_call_exits_0_and_the_question_is_still_answered()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var httpA = FreePort.Next();
        // A short drain: queries still running after 2 s are handed back to their edges, which re-submit them to B.
        await using var serverA = await ServerNode.StartAsync(["--http-port", Text(httpA)],
            new Dictionary<string, string> { ["COLLABVLM_Server__ShutdownDrainTimeout"] = "00:00:02" });
        var httpB = FreePort.Next();
        var portB = FreePort.Next();
        await using var serverB = ServerNode.Launch(portB, ["--seed", serverA.Address, "--http-port", Text(httpB)]);
        Assert.True(await HttpPoll.UntilStatusAsync(client, $"http://127.0.0.1:{httpB}/healthz/ready", HttpStatusCode.OK, ServerNode.StartTimeout),
            $"the second server should join and load its model.\n{serverB.Describe()}");

        // Cameras that keep both models busy (small frames: the load generator must not eat the CPU it loads).
        var httpCameras = FreePort.Next();
        await using var cameras = ChildProcess.Start(Executables.Edge,
            ["serve", "--hostname", "127.0.0.1", "--port", Text(FreePort.Next()), "--seed", serverA.Address, "--http-port", Text(httpCameras),
             "--devices", "6", "--ask-every", "00:00:00.200"],
            new Dictionary<string, string> { ["COLLABVLM_Simulation__FrameWidth"] = "1024", ["COLLABVLM_Simulation__FrameHeight"] = "768" });
        // A job waiting in A's inference queue means another one is running: SIGTERM lands during a model call.
        Assert.True(await HttpPoll.UntilAsync(client, $"http://127.0.0.1:{httpA}/metrics", (_, body) => QueueDepth(body) >= 1, TimeSpan.FromSeconds(90)),
            $"server A's model never got busy.\n{cameras.Describe()}\n{serverA.Process.Describe()}");

        var image = _frames.Jpeg(TestFrames.SmallText, "noparking");
        // Seeded with B: A may be gone before this process has joined.
        await using var ask = ChildProcess.Start(Executables.Edge,
            ["ask", "--seed", $"akka.tcp://collabvlm@127.0.0.1:{portB}", "--image", image, "--question", Question, "--json", "--policy", "always",
             "--deadline", "00:01:30", "--join-timeout", "00:00:30"]);
        Assert.True(await HttpPoll.UntilAsync(client, $"http://127.0.0.1:{httpA}/metrics", (_, body) => QueueDepth(body) >= 1, TimeSpan.FromSeconds(30)),
            $"server A's model went idle.\n{serverA.Process.Describe()}");
        var stopwatch = Stopwatch.StartNew();
        Terminate(serverA.Process.Id);

        var codeA = await serverA.Process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(codeA == 0, $"server A must exit cleanly on SIGTERM (code {codeA}; 139 = segmentation fault).\n{serverA.Process.Describe()}");
        var log = serverA.Process.Output;
        Assert.Contains("shutdown: no longer admitting queries", log, StringComparison.Ordinal);
        Assert.Contains("shutdown: queries drained", log, StringComparison.Ordinal);
        Assert.Contains("shutdown: no model call running", log, StringComparison.Ordinal);
        var stoppedAfter = stopwatch.Elapsed;
        // The cameras' questions that A held were handed back and re-submitted to B, not failed as shutting down.
        var scrape = await client.GetStringAsync($"http://127.0.0.1:{httpCameras}/metrics");
        Assert.True((ScrapedMetric.Value(scrape, "collabvlm_edge_queries_total", ("outcome", "failed_shutting_down")) ?? 0) == 0,
            $"a question handed back at shutdown was lost instead of re-submitted.\n{scrape}");

        var code = await ask.WaitForExitAsync(TimeSpan.FromSeconds(150));
        var run = new AskRun(code, ask.StandardOutput, ask.StandardError, ask.Describe());
        var report = run.Report();
        Assert.True(code == 0 && report.Answered, $"the question must be answered although a server shut down.\n{run.Description}\n{serverB.Describe()}");
        Assert.Equal("NO PARKING", report.Answer);
        Assert.False(serverB.HasExited, $"the other server must keep running.\n{serverB.Describe()}");
        Console.WriteLine($"server A stopped {stoppedAfter.TotalSeconds:0.0} s after SIGTERM; the question took {report.Attempts} submission(s)");
    }

    private static void Terminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        // Bounded, and generous: on a stalled CPU even starting `kill` can take seconds.
        Assert.True(kill.WaitForExit(30_000), "kill -TERM did not finish within 30 s");
        Assert.Equal(0, kill.ExitCode);
    }

    private static double QueueDepth(string scrape) => ScrapedMetric.Value(scrape, "collabvlm_inference_queue_depth") ?? 0;

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _frames.Dispose();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>
/// "Never lose a query", the hard way: the server process holding a query is killed (SIGKILL, no leaving the
/// cluster), and the edge still gets its answer from the other server.
/// </summary>
[Collection(ServerCrashCollection.Name)]
public sealed class ServerCrashSpecs : IDisposable
{
    private const string Question = "What does the sign say?";
    private readonly TestFrames _frames = new();

    [Fact]
    public async Task A_query_held_by_the_oldest_server_when_it_is_killed_is_answered_by_the_server_that_joined_later()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var httpA = FreePort.Next();
        var httpB = FreePort.Next();
        await using var serverA = await ServerNode.StartAsync(["--http-port", Text(httpA)]);

        // The query goes to A, the only server, and a slow uplink keeps it there while the crop streams: long enough for
        // B to start and join, and to kill A mid-query.
        var image = _frames.Jpeg(TestFrames.SmallText, "noparking");
        var started = Stopwatch.StartNew();
        await using var ask = ChildProcess.Start(Executables.Edge,
            ["ask", "--seed", serverA.Address, "--image", image, "--question", Question, "--json", "--policy", "always",
             "--deadline", "00:02:00", "--shape-uplink", "--uplink-bps", "16000", "--join-timeout", "00:00:30"]);
        Assert.True(await HttpPoll.UntilAsync(client, Metrics(httpA), (_, body) => ActiveCoordinators(body) > 0, TimeSpan.FromSeconds(60)),
            $"server A never held the query.\n{ask.Describe()}");

        await using var serverB = ServerNode.Launch(FreePort.Next(), ["--seed", serverA.Address, "--http-port", Text(httpB)]);
        Assert.True(await HttpPoll.UntilStatusAsync(client, $"http://127.0.0.1:{httpB}/healthz/ready", HttpStatusCode.OK, ServerNode.StartTimeout),
            $"the second server should join and load its model.\n{serverB.Describe()}");
        Assert.True(await HttpPoll.UntilAsync(client, Metrics(httpA), (_, body) => ActiveCoordinators(body) > 0, TimeSpan.FromSeconds(1)),
            $"the query finished on A before B was ready; the uplink must be slower for this test to mean anything.\n{ask.Describe()}");
        var killedAt = started.Elapsed;
        await serverA.Process.KillAsync();

        var code = await ask.WaitForExitAsync(TimeSpan.FromSeconds(180));
        var run = new AskRun(code, ask.StandardOutput, ask.StandardError, ask.Describe());
        var report = run.Report();
        Assert.True(code == 0 && report.Answered, $"the query must still be answered after its server was killed.\n{run.Description}\n{serverB.Describe()}");
        Assert.Equal("NO PARKING", report.Answer);
        Assert.True(report.Attempts >= 2, $"the edge should have re-submitted to the surviving server (attempts {report.Attempts}).\n{run.Description}");
        // …as soon as A was unreachable, not only once the cluster had downed it (Cluster:DownUnreachableAfter later).
        Assert.Contains("became unreachable; re-submitting", run.StandardError, StringComparison.Ordinal);
        // The oldest server crashing must not make the others down themselves (split-brain resolver).
        Assert.False(serverB.HasExited, $"the surviving server must keep running.\n{serverB.Describe()}");
        Assert.True(await HttpPoll.UntilStatusAsync(client, $"http://127.0.0.1:{httpB}/healthz/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(10)),
            $"the surviving server must stay ready.\n{serverB.Describe()}");
        Console.WriteLine($"server A killed {killedAt.TotalSeconds:0.0} s after the ask started; answered by B after {started.Elapsed.TotalSeconds:0.0} s");
    }

    private static string Metrics(int httpPort) => $"http://127.0.0.1:{httpPort}/metrics";

    private static double ActiveCoordinators(string scrape) => ScrapedMetric.Value(scrape, "collabvlm_coordinators_active") ?? 0;

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _frames.Dispose();
}

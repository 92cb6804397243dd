using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Imaging;
using CollabVlm.Messages;
using CollabVlm.Simulation.Frames;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// 100 retransmissions at once over a real loopback cluster: every local image streams through a
/// SinkRef under back-pressure, and the bytes the server holds never exceed its configured cap
/// although several times the cap flows through. A scripted model (unsure globally, sure on the
/// crop) keeps the test about transport, not reading.
/// </summary>
public sealed class RetransmissionBurstSpecs
{
    private const int Queries = 100;

    [Fact]
    public async Task A_burst_of_100_concurrent_retransmissions_stays_within_the_servers_byte_cap()
    {
        var server = new ServerSettings
        {
            MaxLocalBytes = 64 * 1024,
            MinLocalBytes = 8 * 1024,
            MaxLocalBytesInFlight = 256 * 1024, // room for 4 local images at a time
            LocalBasePixels = 320,
            // Generous: 100 crops are encoded on CI's 2 cores; the point is the byte bound, not speed.
            LocalStageTimeout = TimeSpan.FromSeconds(90),
        };
        var model = new ScriptedModel(input => Task.FromResult(input.Local is null ? TestData.Output("EX1T", 0.4) : TestData.Output("EXIT", 0.99)));
        await using var cluster = await LoopbackCluster.StartAsync(server, _ => model,
            // Accepts reach each query through its device, whose mailbox holds the rest of the burst (each ask decodes
            // a 1600×1200 frame): on a stalled 2-core CPU the default 3 s would re-submit, which is not what this tests.
            // No text scan: 100 simulated cameras would scan on the same two cores as the servers, for regions this
            // byte-cap test does not look at.
            new EdgeSettings { MaxPendingQueries = Queries, DefaultDeadline = TimeSpan.FromSeconds(120), AcceptTimeout = TimeSpan.FromSeconds(60), ProposeRegions = false },
            edgeNodes: 2);

        byte[] frame;
        using (var scene = SceneTextRenderer.Render(new SceneTextRequest(1600, 1200, "NO PARKING", 16, Seed: 9)))
            frame = JpegEncoder.Encode(scene.Bitmap, 92).Bytes;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Queries).Select(i =>
            cluster.Devices[i % cluster.Devices.Count].Ask<QueryOutcome>(new AskQuestion(frame, "What does the sign say?"), TimeSpan.FromSeconds(180))));

        var answers = outcomes.Select(o => o.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"query failed: {o.Failed}")).ToList();
        var notRefined = answers.Where(a => a.Stage != AnswerStage.Refined).GroupBy(a => a.DegradedReason).Select(g => $"{g.Count()} × {g.Key}").ToList();
        Assert.True(notRefined.Count == 0, string.Join("; ", notRefined));
        var budget = cluster.Server.Services.GetRequiredService<LocalByteBudget>();
        var streamed = answers.Sum(a => a.BytesLocal);
        Assert.True(streamed > 4 * budget.Capacity, $"only {streamed} bytes streamed: the cap was never tested");
        Assert.InRange(budget.PeakHeld, 1, budget.Capacity);
        Assert.InRange(budget.PeakReserved, 1, budget.Capacity);
        Assert.All(answers, a => Assert.InRange(a.BytesLocal, 1, server.MaxLocalBytes));
        Assert.Equal((0L, 0L), (budget.Reserved, budget.Held)); // every coordinator gave its bytes back
    }
}

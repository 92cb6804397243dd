using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Frames;
using CollabVlm.TwoStage.GlobalImage;
using CollabVlm.TwoStage.Region;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>Edge-assisted regions through the cluster: the edge's scan snaps the server's region, and never holds up an answer.</summary>
public sealed class EdgeProposalClusterSpecs(ProposingClusterFixture fixture) : IClassFixture<ProposingClusterFixture>
{
    private const string Question = "What does the sign say?";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Small_text_the_servers_region_misses_is_cut_out_around_the_text_the_edge_found()
    {
        // 2400×1600, a dark plate with 11 px capitals near the top-left corner (3.5 px in the 768-px global image),
        // and a grille of dark bars lower right, which the detector takes for text at the global image's scale but
        // not at full resolution: the server's ViCrop window goes to the grille, the edge's scan finds the sign.
        var plate = new PixelRect(140, 120, 120, 24);
        using var frame = PlainFrameWithSign(2400, 1600, plate, "EXIT 42");
        using (var canvas = new SKCanvas(frame))
        using (var bar = new SKPaint { Color = new SKColor(15, 15, 20) })
            for (var x = 1700; x < 1960; x += 12) canvas.DrawRect(x, 1150, 6, 60, bar);
        var serverRegion = await ServerRegionAsync(frame);
        Assert.False(Holds(serverRegion, plate, frame), $"precondition: the server's own region {serverRegion} already holds the sign");

        var jpeg = JpegEncoder.Encode(frame, 92).Bytes;
        var outcome = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(
            new AskQuestion(jpeg, Question, new QueryOptions(TimeSpan.FromMinutes(3), RetransmitPolicy.Always)), Patience);

        var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
        Assert.True(answer.BytesLocal > 0, $"no local image arrived ({answer.Stage}: {answer.DegradedReason})");
        Assert.NotNull(outcome.EdgeScan);
        Assert.True(outcome.EdgeScan!.TilesDone >= 1, "the region was cut before the scan covered a tile");
        // The answer reports the region the edge actually cut, and it holds the sign.
        Assert.True(Holds(answer.Roi!, plate, frame), $"the cut region {answer.Roi} misses the sign {plate} (server asked for {serverRegion}); read '{answer.Text}'");

        // A question that asks for nothing written is not scanned for: the scan would pull its region onto the text.
        var counting = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(
            new AskQuestion(jpeg, "How many bars are there?", new QueryOptions(TimeSpan.FromMinutes(3), RetransmitPolicy.Always)), Patience);
        Assert.True(counting.Answered is { Answer.BytesLocal: > 0 }, $"the counting question got no local image: {counting.Failed}");
        Assert.Null(counting.EdgeScan);
    }

    /// <summary>
    /// Two signs alike in size, both found by the edge's scan. Named by colour, the edge tells them apart itself (it has
    /// the question and the plate's pixels); named by the words on one of two plates of one colour, only the server's
    /// reader can, and the relevance map the region request carries is how the edge learns it. Without the map the
    /// edge would cut around the same sign for both questions of the second pair.
    /// </summary>
    [Theory]
    [InlineData(true, "What does the red sign say?", "What does the blue sign say?")]
    [InlineData(false, "What does the sign that says OPEN say?", "What does the sign that says EXIT say?")]
    public async Task The_cut_region_follows_the_sign_the_question_names(bool coloured, string askFirst, string askSecond)
    {
        var first = new PixelRect(220, 560, 380, 80);
        var second = new PixelRect(1150, 560, 380, 80);
        var blue = new SKColor(20, 45, 115);
        using var frame = FlatSigns.Frame(1800, 1200);
        using (var canvas = new SKCanvas(frame))
        {
            FlatSigns.Draw(canvas, first, coloured ? new SKColor(190, 30, 30) : blue, "OPEN 24", 46);
            FlatSigns.Draw(canvas, second, blue, "EXIT 76", 46);
        }
        var jpeg = JpegEncoder.Encode(frame, 92).Bytes;

        foreach (var (question, sign, other) in new[] { (askFirst, first, second), (askSecond, second, first) })
        {
            var outcome = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(
                new AskQuestion(jpeg, question, new QueryOptions(TimeSpan.FromMinutes(3), RetransmitPolicy.Always)), Patience);

            var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"'{question}': failed: {outcome.Failed}");
            Assert.True(answer.BytesLocal > 0, $"'{question}': no local image arrived ({answer.Stage}: {answer.DegradedReason})");
            Assert.True(outcome.EdgeScan is { Proposals.Count: > 0 }, $"'{question}': the edge found no text to rank");
            Assert.True(Holds(answer.Roi!, sign, frame), $"'{question}': the cut region {answer.Roi} misses the sign {sign}; read '{answer.Text}'");
            Assert.False(Holds(answer.Roi!, other, frame), $"'{question}': the cut region {answer.Roi} holds both signs, so it shows nothing of the ranking");
        }
    }

    /// <summary>
    /// Two small signs far apart, a question that names neither: the region goes to one, the other ranks close behind
    /// and travels as a runner-up in the same local image; the answer reports both parts of the frame it was shown.
    /// </summary>
    [Fact]
    public async Task A_close_runner_up_travels_beside_the_region_and_the_answer_names_both()
    {
        var first = new PixelRect(300, 300, 120, 24);
        var second = new PixelRect(1900, 1200, 120, 24);
        using var frame = FlatSigns.Frame(2400, 1600);
        using (var canvas = new SKCanvas(frame))
        {
            FlatSigns.Draw(canvas, first, new SKColor(20, 45, 115), "EXIT 42", 15);
            FlatSigns.Draw(canvas, second, new SKColor(20, 45, 115), "GATE 17", 15);
        }
        var jpeg = JpegEncoder.Encode(frame, 92).Bytes;
        var outcome = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(
            new AskQuestion(jpeg, Question, new QueryOptions(TimeSpan.FromMinutes(3), RetransmitPolicy.Always)), Patience);

        var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
        Assert.True(answer.BytesLocal > 0, $"no local image arrived ({answer.Stage}: {answer.DegradedReason})");
        Assert.True(answer.RunnersUp is { Count: > 0 }, $"no runner-up beside the region {answer.Roi}; the edge found {outcome.EdgeScan?.Proposals.Count} lines");
        NormalizedBox[] shown = [answer.Roi!, .. answer.RunnersUp!];
        foreach (var sign in new[] { first, second })
            Assert.True(shown.Any(box => box.Contains((sign.X + sign.Width / 2.0) / frame.Width, (sign.Y + sign.Height / 2.0) / frame.Height)),
                $"neither the region {answer.Roi} nor a runner-up ({string.Join(", ", answer.RunnersUp!)}) shows {sign}");
        Assert.Contains(answer.Text, new[] { "EXIT 42", "GATE 17" });
    }

    [Fact]
    public async Task A_final_global_answer_arrives_while_the_scan_is_still_held_up()
    {
        // Holds the edge node's one detector (one frame at a time) until released: the query's scan cannot finish.
        var proposer = fixture.Cluster.Edges[0].Services.GetRequiredService<TiledTextProposer>();
        using var release = new ManualResetEventSlim();
        using var stop = new CancellationTokenSource();
        using var busy = new SemaphoreSlim(0, 1);
        using var blockerFrame = PlainFrameWithSign(1200, 900, new PixelRect(100, 100, 120, 24), "HOLD");
        var blocker = Task.Run(() => proposer.Propose(blockerFrame, stop.Token, _ =>
        {
            busy.Release();
            release.Wait(TimeSpan.FromMinutes(3));
        }));
        try
        {
            Assert.True(await busy.WaitAsync(TimeSpan.FromMinutes(2)), "the blocking scan never covered a tile");

            using var rendered = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
            var jpeg = JpegEncoder.Encode(rendered.Bitmap, 92).Bytes;
            var outcome = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(jpeg, Question, new QueryOptions(TimeSpan.FromMinutes(2))), Patience);

            var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
            Assert.Equal(AnswerStage.Global, answer.Stage);
            Assert.False(blocker.IsCompleted, "the detector was freed before the answer came");
            Assert.Null(outcome.EdgeScan); // no region was asked for, so none was snapped
        }
        finally
        {
            release.Set();
            await stop.CancelAsync();
            await blocker.WaitAsync(TimeSpan.FromMinutes(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The region the server's reader picks on the global image the device makes of this frame (its first query: unknown link).</summary>
    private static async Task<NormalizedBox> ServerRegionAsync(SKBitmap frame)
    {
        var global = GlobalImageBudget.Make(frame, LinkView.Unknown, ProposingClusterFixture.Edge);
        using var reader = new PpOcrReader(new ReaderOptions());
        var output = await reader.AnswerAsync(new ModelInput(Question, global.Bytes), CancellationToken.None);
        return RegionChoice.For(output, ProposingClusterFixture.Server.LocalBasePixels, frame.Width, frame.Height);
    }

    private static bool Holds(NormalizedBox region, PixelRect box, SKBitmap frame) =>
        region.X0 * frame.Width <= box.X && region.X1 * frame.Width >= box.Right
        && region.Y0 * frame.Height <= box.Y && region.Y1 * frame.Height >= box.Bottom;

    private static SKBitmap PlainFrameWithSign(int width, int height, PixelRect plate, string text)
    {
        var frame = FlatSigns.Frame(width, height);
        using var canvas = new SKCanvas(frame);
        FlatSigns.Draw(canvas, plate, new SKColor(20, 45, 115), text, 15);
        return frame;
    }
}

using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;
using CollabVlm.TwoStage.InProcess;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.TwoStage.Tests.InProcess;

/// <summary>The whole loop in one process on the real PP-OCRv4 reader and rendered frames.</summary>
public sealed class InProcessLoopTests : IClassFixture<InProcessLoopTests.ReaderFixture>
{
    public sealed class ReaderFixture : IDisposable
    {
        public PpOcrReader Reader { get; } = new(new ReaderOptions());

        public void Dispose() => Reader.Dispose();
    }

    private const string Question = "What does the sign say?";
    private readonly PpOcrReader _reader;

    public InProcessLoopTests(ReaderFixture fixture) => _reader = fixture.Reader;

    private InProcessLoop Loop(ServerSettings? server = null) => new(_reader, new EdgeSettings(), server ?? new ServerSettings(), InProcessLoop.Unconstrained);

    [Fact]
    public async Task Large_text_is_final_after_the_global_pass_and_sends_no_local_bytes()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
        var outcome = await Loop().RunAsync(frame.Bitmap, Question);
        Assert.False(outcome.Verdict.Retransmit, $"H∞ {outcome.Verdict.Uncertainty:F3}");
        Assert.True(AnswerScoring.ExactMatch(outcome.Answer, ["EXIT 24"]), $"read \"{outcome.Answer}\"");
        Assert.Equal((0L, 0, null), (outcome.LocalBytes, outcome.LayersSent, outcome.Region));
    }

    [Fact]
    public async Task Small_text_is_gated_to_the_region_and_read_from_the_progressive_layers()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(4000, 3000, "NO PARKING", 14, 3));
        var outcome = await Loop().RunAsync(frame.Bitmap, Question);

        Assert.True(outcome.Verdict.Retransmit);
        Assert.NotNull(outcome.Refined);
        Assert.True(AnswerScoring.ExactMatch(outcome.Answer, ["NO PARKING"]), $"read \"{outcome.Answer}\" ({outcome.DegradedReason})");
        Assert.True(outcome.LayersSent >= 2, $"{outcome.LayersSent} layer(s)");
        Assert.Equal(outcome.LayersSent, outcome.Refined.Layers); // refine-on=last: one pass on every layer
        Assert.True(outcome.LocalBytes > outcome.Global.Bytes.Length, $"{outcome.LocalBytes} local bytes");
        var (cx, cy) = ((frame.TextBox.X + frame.TextBox.Right) / 2.0 / 4000, (frame.TextBox.Y + frame.TextBox.Bottom) / 2.0 / 3000);
        Assert.InRange(cx, outcome.Region!.X0, outcome.Region.X1);
        Assert.InRange(cy, outcome.Region.Y0, outcome.Region.Y1);
    }

    [Fact]
    public async Task Refining_on_each_layer_stops_at_the_first_sure_prefix_and_sends_fewer_bytes()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(4000, 3000, "NO PARKING", 14, 3));
        var last = await Loop().RunAsync(frame.Bitmap, Question);
        var eachLayer = await Loop(new ServerSettings { RefineOn = RefineOn.EachLayer }).RunAsync(frame.Bitmap, Question);

        Assert.True(AnswerScoring.ExactMatch(eachLayer.Answer, ["NO PARKING"]), $"read \"{eachLayer.Answer}\"");
        Assert.True(eachLayer.Refined!.Uncertainty <= new ServerSettings().Threshold);
        Assert.True(eachLayer.LayersSent < last.LayersSent, $"{eachLayer.LayersSent} of {last.LayersSent} layers");
        Assert.True(eachLayer.LocalBytes < last.LocalBytes);
    }

    [Fact]
    public async Task Policy_never_keeps_the_global_answer_however_unsure()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(4000, 3000, "NO PARKING", 14, 3));
        var outcome = await Loop().RunAsync(frame.Bitmap, Question, RetransmitPolicy.Never);
        Assert.False(outcome.Verdict.Retransmit);
        Assert.True(outcome.Verdict.Uncertainty > new ServerSettings().Threshold);
        Assert.Null(outcome.Refined);
    }
    [Fact]
    public async Task An_edge_that_scans_its_frame_snaps_the_region_onto_small_text_and_counts_the_servers_map()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(3000, 2000, "GATE 42", 10, 11));
        using var proposer = new TiledTextProposer(new ReaderOptions(), 2_000_000, TimeSpan.FromMinutes(5));
        var edge = new EdgeSettings { ProposeRegions = true };
        var loop = new InProcessLoop(_reader, edge, new ServerSettings(), InProcessLoop.Unconstrained, proposer: proposer);

        var outcome = await loop.RunAsync(frame.Bitmap, Question, RetransmitPolicy.Always);
        Assert.NotNull(outcome.Proposals);
        Assert.True(outcome.Proposals.Complete);
        Assert.InRange(outcome.HintBytes, 1, 24 * 24);
        var (cx, cy) = ((frame.TextBox.X + frame.TextBox.Right) / 2.0 / 3000, (frame.TextBox.Y + frame.TextBox.Bottom) / 2.0 / 2000);
        Assert.InRange(cx, outcome.Region!.X0, outcome.Region.X1);
        Assert.InRange(cy, outcome.Region.Y0, outcome.Region.Y1);

        // A device with the scan switched off, or a final global answer, makes no proposals.
        var off = await new InProcessLoop(_reader, new EdgeSettings { ProposeRegions = false }, new ServerSettings(), InProcessLoop.Unconstrained, proposer: proposer)
            .RunAsync(frame.Bitmap, Question, RetransmitPolicy.Always);
        Assert.Null(off.Proposals);
        var never = await loop.RunAsync(frame.Bitmap, Question, RetransmitPolicy.Never);
        Assert.Null(never.Proposals);
        Assert.Equal(0, never.HintBytes);
    }

    [Fact]
    public async Task A_given_region_replaces_the_servers_choice()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 16, 5));
        var region = NormalizedBox.Create(0.1, 0.1, 0.4, 0.5);
        var outcome = await Loop().RunAsync(frame.Bitmap, Question, RetransmitPolicy.Always, region: region);
        Assert.Equal(region, outcome.Region);
        Assert.True(outcome.LocalBytes > 0);
    }

    [Fact]
    public async Task A_two_level_zoom_sends_a_wide_view_first_and_reads_the_tight_region_its_pass_chose()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(4000, 3000, "NO PARKING", 14, 3));
        var loop = new InProcessLoop(_reader, new EdgeSettings { ProposeRegions = false }, new ServerSettings(), InProcessLoop.Unconstrained, zoom: new TwoLevelZoom());

        var outcome = await loop.RunAsync(frame.Bitmap, Question, RetransmitPolicy.Always);

        var zoomed = outcome.Zoomed!;
        Assert.Equal(zoomed.Region, outcome.Region);
        Assert.True(zoomed.Region.X0 >= zoomed.Wide.X0 && zoomed.Region.X1 <= zoomed.Wide.X1, $"{zoomed.Region} outside {zoomed.Wide}");
        Assert.True(zoomed.WideBytes > 0 && outcome.LocalBytes > 0);
        var (cx, cy) = ((frame.TextBox.X + frame.TextBox.Right) / 2.0 / 4000, (frame.TextBox.Y + frame.TextBox.Bottom) / 2.0 / 3000);
        Assert.InRange(cx, zoomed.Region.X0, zoomed.Region.X1);
        Assert.InRange(cy, zoomed.Region.Y0, zoomed.Region.Y1);
        Assert.True(AnswerScoring.ExactMatch(outcome.Answer, ["NO PARKING"]), $"read \"{outcome.Answer}\" ({outcome.DegradedReason})");

        // Without a zoom, or with a region given, there is no first level.
        Assert.Null((await Loop().RunAsync(frame.Bitmap, Question, RetransmitPolicy.Always)).Zoomed);
        Assert.Null((await loop.RunAsync(frame.Bitmap, Question, RetransmitPolicy.Always, region: zoomed.Region)).Zoomed);
    }
}

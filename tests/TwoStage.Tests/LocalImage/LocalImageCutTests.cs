using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;
using CollabVlm.TwoStage.LocalImage;
using CollabVlm.TwoStage.Region;
using SkiaSharp;

namespace CollabVlm.TwoStage.Tests.LocalImage;

/// <summary>A region and its runners-up packed into one local image, and the real reader reading them apart.</summary>
public sealed class LocalImageCutTests : IClassFixture<LocalImageCutTests.ReaderFixture>
{
    public sealed class ReaderFixture : IDisposable
    {
        public PpOcrReader Reader { get; } = new(new ReaderOptions());

        public void Dispose() => Reader.Dispose();
    }

    private const int W = 3000, H = 2000;
    private static readonly SKColor Field = FlatSigns.Field;
    private readonly PpOcrReader _reader;

    public LocalImageCutTests(ReaderFixture fixture) => _reader = fixture.Reader;

    [Fact]
    public void A_region_cut_at_a_scale_is_sent_at_that_share_of_its_pixels()
    {
        using var frame = Frame();
        var region = Box(200, 200, 800, 600);
        using var whole = LocalImageCut.Cut(frame, RegionCut.Only(region));
        using var half = LocalImageCut.Cut(frame, RegionCut.Only(region) with { Scale = 0.5 });
        Assert.Equal((600, 400), (whole.Bitmap.Width, whole.Bitmap.Height));
        Assert.Equal((300, 200), (half.Bitmap.Width, half.Bitmap.Height));
        Assert.Null(half.Tiles);
    }

    [Fact]
    public void The_region_keeps_its_pixels_at_the_top_and_each_runner_up_sits_below_where_its_tile_says()
    {
        using var frame = Frame();
        using (var canvas = new SKCanvas(frame))
        using (var red = new SKPaint { Color = SKColors.Red })
        using (var blue = new SKPaint { Color = SKColors.Blue })
        {
            canvas.DrawRect(300, 300, 100, 100, red);    // inside the region
            canvas.DrawRect(2500, 1600, 200, 100, blue); // the runner-up's whole crop
        }
        var region = Box(200, 200, 600, 500);
        var runnerUp = new RunnerUp(Box(2500, 1600, 2700, 1700), 0.5, new TextProposal(Box(2520, 1620, 2680, 1680), 0.9, 60));

        using var cut = LocalImageCut.Cut(frame, new RegionCut(region, [runnerUp]));

        var pixels = FrameCropper.ToPixels(region, W, H);
        Assert.Equal((pixels.Width, pixels.Height + 50), (cut.Bitmap.Width, cut.Bitmap.Height)); // the region at its own pixels, the runner-up at half
        var tiles = cut.Tiles!;
        Assert.Equal([region, runnerUp.Region], tiles.Select(t => t.InFrame));
        Assert.Equal(SKColors.Red, At(cut.Bitmap, tiles[0], 0.3, 0.5));   // frame (320, 350)
        Assert.Equal(SKColors.Blue, At(cut.Bitmap, tiles[1], 0.5, 0.5));
        Assert.Equal(Field, At(cut.Bitmap, tiles[0], 0.05, 0.05));
        Assert.Equal(100.0 / pixels.Width, tiles[1].InImage.X1, 9); // 200 px at half scale beside the region's 400

        using var alone = LocalImageCut.Cut(frame, RegionCut.Only(region));
        Assert.Null(alone.Tiles);
        Assert.Equal((pixels.Width, pixels.Height), (alone.Bitmap.Width, alone.Bitmap.Height));
    }

    [Fact]
    public async Task The_reader_answers_from_the_runner_up_when_the_region_shows_no_text()
    {
        using var frame = Frame();
        using (var canvas = new SKCanvas(frame)) Sign(canvas, new PixelRect(2300, 1500, 130, 26), new SKColor(20, 45, 115), "GATE 42", 16);
        var cut = new RegionCut(Box(200, 200, 840, 840), [Runner(Box(2270, 1470, 2460, 1556))]);

        var answer = await Refine(frame, cut, "What does the sign say?");
        Assert.True(AnswerScoring.ExactMatch(answer, ["GATE 42"]), $"read '{answer}'");
    }

    [Fact]
    public async Task A_question_naming_a_place_is_judged_where_each_tile_lies_in_the_frame_not_in_the_local_image()
    {
        // The region holds the sign on the right of the frame, near its own left edge; the runner-up, packed below it,
        // shows the sign on the left of the frame further right in its tile. Judged in the local image, "left" would
        // be the wrong one.
        using var frame = Frame();
        using (var canvas = new SKCanvas(frame))
        {
            Sign(canvas, new PixelRect(2300, 900, 130, 26), new SKColor(20, 45, 115), "OPEN 24", 16);
            Sign(canvas, new PixelRect(300, 900, 130, 26), new SKColor(20, 45, 115), "EXIT 76", 16);
        }
        var cut = new RegionCut(Box(2250, 600, 2890, 1240), [Runner(Box(200, 860, 480, 966))]);

        Assert.True(AnswerScoring.ExactMatch(await Refine(frame, cut, "What does the sign on the left say?"), ["EXIT 76"]));
        Assert.True(AnswerScoring.ExactMatch(await Refine(frame, cut, "What does the sign on the right say?"), ["OPEN 24"]));
    }

    private async Task<string> Refine(SKBitmap frame, RegionCut cut, string question)
    {
        var global = GlobalImageMaker.Make(frame, 768, 80);
        var local = LocalImageEncoder.Encode(frame, cut, new LocalImageRequest(cut.Region, TimeSpan.FromSeconds(5), 1280, 90, 2_000_000),
            TwoStage.InProcess.InProcessLoop.Unconstrained, Imaging.Progressive.LayerPlanSettings.Default);
        Assert.Equal(cut.RunnersUp.Count + 1, local.Tiles?.Count ?? 1);
        var jpeg = local.Layers.SelectMany(l => l).ToArray();
        var output = await _reader.AnswerAsync(new ModelInput(question, global.Bytes, jpeg, cut.Region, local.Tiles), CancellationToken.None);
        return output.Answer;
    }

    private static RunnerUp Runner(NormalizedBox region) => new(region, 1, new TextProposal(region, 0.9, 16));

    private static NormalizedBox Box(double x0, double y0, double x1, double y1) => NormalizedBox.Create(x0 / W, y0 / H, x1 / W, y1 / H);

    private static SKColor At(SKBitmap image, RegionTile tile, double u, double v) =>
        image.GetPixel((int)((tile.InImage.X0 + u * tile.InImage.Width) * image.Width), (int)((tile.InImage.Y0 + v * tile.InImage.Height) * image.Height));

    private static SKBitmap Frame() => FlatSigns.Frame(W, H);

    private static void Sign(SKCanvas canvas, PixelRect plate, SKColor colour, string text, float fontSize) =>
        FlatSigns.Draw(canvas, plate, colour, text, fontSize);
}

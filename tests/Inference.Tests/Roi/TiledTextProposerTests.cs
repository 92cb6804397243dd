using CollabVlm.Imaging;
using CollabVlm.Inference.Reader;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Inference.Tests.Roi;

public sealed class TiledTextProposerTests
{
    [Theory]
    [InlineData(4000, 3000, 4_000_000)]
    [InlineData(3000, 2000, 1_000_000)]
    [InlineData(800, 600, 4_000_000)]
    public void Tiles_are_whole_inside_the_frame_and_cover_every_pixel(int width, int height, long maxPixels)
    {
        var scale = TiledTextProposer.ScaleFor(width, height, maxPixels);
        Assert.InRange(scale, 0.01, 1);
        var tiles = TiledTextProposer.Tiles(width, height, scale);
        var side = (int)Math.Ceiling(TiledTextProposer.TileSide / scale);
        foreach (var t in tiles)
        {
            Assert.True(t.X >= 0 && t.Y >= 0 && t.Right <= width && t.Bottom <= height, $"{t} outside {width}×{height}");
            Assert.Equal(Math.Min(side, width), t.Width);
            Assert.Equal(Math.Min(side, height), t.Height);
        }
        foreach (var (x, y) in new[] { (0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1), (width / 2, height / 2) })
            Assert.Contains(tiles, t => x >= t.X && x < t.Right && y >= t.Y && y < t.Bottom);
    }

    [Fact]
    public void A_line_seen_in_two_overlapping_tiles_is_kept_once_the_surer_sighting()
    {
        var a = new TextProposal(NormalizedBox.Create(0.10, 0.10, 0.20, 0.12), 0.7, 10);
        var b = new TextProposal(NormalizedBox.Create(0.101, 0.10, 0.20, 0.12), 0.9, 10);
        var other = new TextProposal(NormalizedBox.Create(0.5, 0.5, 0.6, 0.52), 0.6, 10);
        var kept = TiledTextProposer.WithoutDuplicates([a, b, other]);
        Assert.Equal([b, other], kept);
    }

    [Fact]
    public void Only_the_surest_proposals_are_kept_surest_first()
    {
        var many = Enumerable.Range(0, 200)
            .Select(i => new TextProposal(NormalizedBox.Create(i / 400.0, 0.1, i / 400.0 + 0.001, 0.11), (i * 37 % 200) / 200.0, 8)).ToList();
        var kept = TiledTextProposer.Surest(many, TiledTextProposer.MaxProposals);
        Assert.Equal(TiledTextProposer.MaxProposals, kept.Count);
        Assert.Equal(many.OrderByDescending(p => p.Score).Take(TiledTextProposer.MaxProposals).Select(p => p.Score), kept.Select(p => p.Score));
        Assert.Empty(TiledTextProposer.Surest(many, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TiledTextProposer.Surest(many, -1));
    }

    [Fact]
    public void Bad_budgets_are_refused_with_the_setting_named()
    {
        var options = new ReaderOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => new TiledTextProposer(options, 1000, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TiledTextProposer(options, 4_000_000, TimeSpan.Zero));
    }

    [Fact]
    public void The_real_detector_finds_small_text_in_a_large_frame_that_a_768_px_global_image_would_shrink_to_a_few_pixels()
    {
        // 2400×1600 frame, a dark sign with 11 px capitals: 3.5 px in a 768-px global image. The plate has a margin
        // around the text as signs do (the detector's line box reaches past the letters, into the plate).
        using var frame = new SKBitmap(new SKImageInfo(2400, 1600, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(frame))
        {
            canvas.Clear(new SKColor(120, 140, 110));
            using var plate = new SKPaint { Color = new SKColor(20, 45, 115) };
            canvas.DrawRect(1690, 1188, 140, 48, plate);
            using var font = new SKFont(SKTypeface.Default, 15);
            using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawText("EXIT 42", 1706, 1218, SKTextAlign.Left, font, ink);
        }
        using var proposer = new TiledTextProposer(new ReaderOptions(), 2_000_000, TimeSpan.FromMinutes(5));
        var soFar = new List<ProposalSet>();
        var found = proposer.Propose(frame, tileDone: soFar.Add);
        Assert.True(found.Complete);
        // One report per tile, each covering one more; the last is the result.
        Assert.Equal(Enumerable.Range(1, found.TilesPlanned), soFar.Select(s => s.TilesDone));
        Assert.Equal(found.Proposals, soFar[^1].Proposals);
        var onSign = found.Proposals.Where(p => p.Box.X0 < 1820.0 / 2400 && p.Box.X1 > 1700.0 / 2400 && p.Box.Y0 < 1224.0 / 1600 && p.Box.Y1 > 1200.0 / 1600).ToList();
        Assert.NotEmpty(onSign);
        // The plate's colour is told from the full-resolution pixels around the line, for questions that name it.
        Assert.All(onSign, p => Assert.Equal("blue", p.Colour));
        // A cancelled scan stops before its first tile and says so.
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => proposer.Propose(frame, cancelled.Token));
    }
}

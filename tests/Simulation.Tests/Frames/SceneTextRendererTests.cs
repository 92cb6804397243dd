using CollabVlm.Imaging;
using CollabVlm.Imaging.Tests;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Simulation.Tests.Frames;

[Collection(FontFolderCollection.Name)]
public sealed class SceneTextRendererTests
{
    [Fact]
    public void Same_seed_gives_the_same_pixels_and_box()
    {
        var request = new SceneTextRequest(640, 480, "EXIT 24", 24, Seed: 7);

        using var first = SceneTextRenderer.Render(request);
        using var second = SceneTextRenderer.Render(request);

        Assert.Equal(first.TextBox, second.TextBox);
        Assert.Equal(TestFrames.Rgba(first.Bitmap), TestFrames.Rgba(second.Bitmap));
    }

    [Fact]
    public void Different_seeds_give_different_frames()
    {
        using var first = SceneTextRenderer.Render(new SceneTextRequest(320, 240, "OPEN", 20, Seed: 1));
        using var second = SceneTextRenderer.Render(new SceneTextRequest(320, 240, "OPEN", 20, Seed: 2));

        Assert.NotEqual(TestFrames.Rgba(first.Bitmap), TestFrames.Rgba(second.Bitmap));
    }

    [Fact]
    public void Frame_carries_its_ground_truth_in_the_decoder_layout()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(400, 300, "Gate 42", 18, Seed: 3));

        Assert.Equal("Gate 42", frame.Text);
        Assert.Equal(18, frame.TextHeightPx);
        Assert.Equal((400, 300), (frame.Bitmap.Width, frame.Bitmap.Height));
        Assert.Equal(SkiaSharp.SKColorType.Rgba8888, frame.Bitmap.ColorType);
        Assert.Equal(SkiaSharp.SKAlphaType.Unpremul, frame.Bitmap.AlphaType);
    }

    [Fact]
    public void Text_box_lies_inside_the_frame_with_the_margin()
    {
        var rng = new Random(99);
        for (var seed = 0; seed < 40; seed++)
        {
            var width = rng.Next(200, 900);
            var height = rng.Next(200, 700);
            var text = SceneTextVocabulary.Pick(rng);
            var request = new SceneTextRequest(width, height, text, TextHeightPx: rng.Next(6, 20), seed);

            using var frame = SceneTextRenderer.Render(request);

            var box = frame.TextBox;
            var marginX = (int)Math.Ceiling(0.02 * width);
            var marginY = (int)Math.Ceiling(0.02 * height);
            Assert.InRange(box.X, marginX - 1, width - marginX);
            Assert.InRange(box.Y, marginY - 1, height - marginY);
            Assert.InRange(box.Right, box.X + 1, width - marginX + 1);
            Assert.InRange(box.Bottom, box.Y + 1, height - marginY + 1);
            // The plate is padded by ~0.4 × text height on both sides of the cap height.
            Assert.True(box.Height >= 1.6 * request.TextHeightPx, $"seed {seed}: box {box} too short for text height {request.TextHeightPx}");
        }
    }

    [Fact]
    public void Rendered_capital_H_has_the_requested_cap_height_across_fonts_colours_and_rotations()
    {
        // 60 seeds cover every font, both plate polarities and rotated and upright signs.
        int[] heights = [8, 10, 12, 16, 20, 24, 30, 40, 60];
        var worst = 0.0;
        for (var seed = 0; seed < 60; seed++)
        {
            var textHeight = heights[seed % heights.Length];
            using var frame = SceneTextRenderer.Render(new SceneTextRequest(640, 480, "H", textHeight, seed));

            var measured = MeasureInkHeight(frame);

            var error = Math.Abs(measured - textHeight) / (double)textHeight;
            worst = Math.Max(worst, error);
            Assert.True(error <= 0.15, $"seed {seed}: cap height {measured} px for {textHeight} px requested");
        }

        Assert.True(worst <= 0.15, $"worst cap-height error {worst:P0}");
    }

    // How fast frames render is a figure (collabvlm-bench generate reports its progress), not a test verdict.
    [Fact]
    public void Full_size_frames_render_at_the_asked_size()
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "Platform 7", 14, seed));
            Assert.Equal((2048, 1536), (frame.Bitmap.Width, frame.Bitmap.Height));
        }
    }

    [Fact]
    public void Sign_too_big_for_the_frame_is_rejected_with_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SceneTextRenderer.Render(new SceneTextRequest(100, 100, "PHARMACY EXPRESS", 40, Seed: 1)));

        Assert.Contains("100×100", error.Message);
    }

    [Theory]
    [InlineData(8, 100, "X", 10)]
    [InlineData(100, 100, "", 10)]
    [InlineData(100, 100, "  ", 10)]
    [InlineData(100, 100, "A", 1)]
    public void Invalid_requests_are_rejected(int width, int height, string text, int textHeight)
    {
        Assert.Throws<ArgumentException>(() => SceneTextRenderer.Render(new SceneTextRequest(width, height, text, textHeight, 0)));
    }

    [Fact]
    public void Missing_fonts_name_the_package_to_install()
    {
        var previous = Environment.GetEnvironmentVariable(SceneTextRenderer.FontDirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(SceneTextRenderer.FontDirectoryVariable, Path.Combine(Path.GetTempPath(), "no-fonts-here-" + Guid.NewGuid()));

            var error = Assert.Throws<FileNotFoundException>(() =>
                SceneTextRenderer.Render(new SceneTextRequest(100, 100, "A", 10, 0)));

            Assert.Contains("install fonts-dejavu-core", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SceneTextRenderer.FontDirectoryVariable, previous);
        }
    }

    /// <summary>
    /// Vertical extent of the ink inside the plate, looking only at the box's interior (shrunk so
    /// rounded corners and rotation wedges are excluded);
    /// ink is any pixel far from it, which covers both dark-on-light and light-on-dark signs.
    /// </summary>
    private static int MeasureInkHeight(SyntheticFrame frame)
    {
        var width = frame.Bitmap.Width;
        var rgba = TestFrames.Rgba(frame.Bitmap);
        // 0.3 × text height clears the plate's rounded corners (radius 0.25×) and the background
        // wedges a ±3° rotation leaves in the axis-aligned box, yet stays inside the 0.4× padding.
        var inner = Inner(frame.TextBox, (int)Math.Round(0.3 * frame.TextHeightPx));
        var plate = PlateLuminance(rgba, width, inner);
        var plateLike = Enumerable.Range(inner.X, inner.Width)
            .Count(x => Math.Abs(Luminance(TestFrames.At(rgba, width, x, inner.Y)) - plate) < 20);
        Assert.True(plateLike >= 0.9 * inner.Width, $"the text box {frame.TextBox} does not sit on a uniform plate");

        int? first = null;
        var last = -1;
        for (var y = inner.Y; y < inner.Bottom; y++)
        {
            var inkPixels = Enumerable.Range(inner.X, inner.Width)
                .Count(x => Math.Abs(Luminance(TestFrames.At(rgba, width, x, y)) - plate) > 60);
            if (inkPixels >= 1)
            {
                first ??= y;
                last = y;
            }
        }

        Assert.True(first.HasValue, "no ink found inside the text box");
        return last - first.Value + 1;
    }

    private static PixelRect Inner(PixelRect box, int inset) =>
        new(box.X + inset, box.Y + inset, Math.Max(1, box.Width - 2 * inset), Math.Max(1, box.Height - 2 * inset));

    /// <summary>
    /// Median luminance of the region's top row: with the region inset less than the plate's
    /// padding, that row is bare plate. (A histogram mode over the whole region is not safe: light
    /// text clamps at 255, piling its noisy pixels into one bin that can outnumber the plate's.)
    /// </summary>
    private static double PlateLuminance(byte[] rgba, int width, PixelRect region)
    {
        var row = Enumerable.Range(region.X, region.Width)
            .Select(x => Luminance(TestFrames.At(rgba, width, x, region.Y)))
            .Order()
            .ToArray();
        return row[row.Length / 2];
    }

    private static double Luminance((byte R, byte G, byte B) c) => 0.299 * c.R + 0.587 * c.G + 0.114 * c.B;
}

using CollabVlm.Messages;
using CollabVlm.Primitives;
using static CollabVlm.Inference.Tests.SyntheticRelevance;

namespace CollabVlm.Inference.Tests;

public sealed class RoiSelectorTests
{
    private const double Tol = 1e-9;

    [Fact]
    public void Single_blob_is_centred_within_one_cell()
    {
        // Blob at cell (40, 25) of a 100×60 map: its centre lies at (40.5, 25.5) cells.
        var map = Blobs(100, 60, new Blob(40, 25, 2.0));
        var box = RoiSelector.Select(map, 0.2);

        Assert.True(Contains(box, 40.5 / 100, 25.5 / 60), $"{box} misses the blob");
        var centreX = (box.X0 + box.X1) / 2 * 100;
        var centreY = (box.Y0 + box.Y1) / 2 * 60;
        Assert.InRange(centreX, 39.5, 41.5);
        Assert.InRange(centreY, 24.5, 26.5);
        Assert.Null(box.Validate());
    }

    [Fact]
    public void Region_much_smaller_than_the_window_sits_in_the_middle_of_the_crop_not_at_its_edge()
    {
        // A 5×2-cell plateau (a small sign) in a 192×144 map with a 48-cell window: every window
        // containing it ties for the maximum. The crop must be centred on it, so it is not cut.
        var values = new float[192 * 144];
        for (var y = 30; y < 32; y++)
            for (var x = 120; x < 125; x++)
                values[y * 192 + x] = 1f;
        var box = RoiSelector.Select(new RelevanceMap(192, 144, values), 0.25);

        // Plateau centre (122.5, 31) cells → (0.638, 0.215) normalized.
        Assert.InRange((box.X0 + box.X1) / 2 * 192, 121.5, 123.5);
        Assert.InRange((box.Y0 + box.Y1) / 2 * 144, 30, 32);
    }

    [Theory]
    [InlineData(640, 2048, 1536, 0.3125)]  // 640 / 2048
    [InlineData(640, 1536, 2048, 0.3125)]  // portrait: the long side is the height
    [InlineData(640, 400, 300, 1.0)]       // a frame smaller than the base crop: the whole frame
    public void Base_fraction_is_the_base_side_over_the_frame_long_side(int basePixels, int width, int height, double expected) =>
        Assert.Equal(expected, RoiSelector.BaseFraction(basePixels, width, height), 12);

    [Fact]
    public void Crop_side_is_base_fraction_times_scale_of_the_long_side()
    {
        // 80×40 map, base 0.25 of the long side = 20 cells → 20/80 = 0.25 wide, 20/40 = 0.5 high,
        // times the chosen scale r.
        var map = Blobs(80, 40, new Blob(30, 20, 1.5));
        var choice = RoiSelector.SelectDetailed(map, 0.25);
        Assert.Equal(0.25 * choice.Scale, choice.Box.Width, Tol);
        Assert.Equal(0.5 * choice.Scale, choice.Box.Height, Tol);
    }

    [Fact]
    public void Blob_near_a_corner_gives_a_box_shifted_inside_the_frame_not_shrunk()
    {
        // Blob at cell (2, 61) of a 64×64 map: near the bottom-left corner.
        var map = Blobs(64, 64, new Blob(2, 61, 1.5));
        var choice = RoiSelector.SelectDetailed(map, 0.25);
        var box = choice.Box;

        Assert.True(Contains(box, 2.5 / 64, 61.5 / 64), $"{box} misses the blob");
        Assert.Equal(0.0, box.X0, Tol);
        Assert.Equal(1.0, box.Y1, Tol);
        // Not shrunk: still the full side 0.25·r of the frame.
        Assert.Equal(0.25 * choice.Scale, box.Width, Tol);
        Assert.Equal(0.25 * choice.Scale, box.Height, Tol);
    }

    [Fact]
    public void Of_two_blobs_the_heavier_one_wins()
    {
        var map = Blobs(100, 100, new Blob(20, 30, 2.0, Amplitude: 1.0), new Blob(75, 70, 2.0, Amplitude: 3.0));
        var box = RoiSelector.Select(map, 0.15);
        Assert.True(Contains(box, 75.5 / 100, 70.5 / 100), $"{box} misses the heavier blob");
        Assert.False(Contains(box, 20.5 / 100, 30.5 / 100), $"{box} also covers the lighter blob");
    }

    [Fact]
    public void A_spread_blob_chooses_a_larger_scale_than_a_compact_one()
    {
        // Base window 0.1·100 = 10 cells, scales up to 20 cells. A blob of σ = 1 fits the base window,
        // so the smallest window concentrates it best; wider blobs (±2σ spans 24…40 cells) spill out
        // of small windows into their neighbours, and the chosen window grows with them.
        double[] sigmas = [1, 6, 8, 10];
        var choices = sigmas.Select(sigma => RoiSelector.SelectDetailed(Blobs(100, 100, new Blob(50, 50, sigma)), 0.1)).ToArray();
        var scales = string.Join(", ", choices.Select((c, i) => $"σ {sigmas[i]} → r {c.Scale}"));

        Assert.Equal(1.0, choices[0].Scale, Tol);
        for (var i = 1; i < choices.Length; i++)
            Assert.True(choices[i].Scale >= choices[i - 1].Scale, $"chosen scale shrank: {scales}");
        Assert.True(choices[^1].Scale > choices[0].Scale, $"chosen scale did not grow: {scales}");
        Assert.All(choices, c => Assert.True(Contains(c.Box, 0.505, 0.505)));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.7f)]
    public void A_map_without_information_gives_a_centred_box_of_the_base_scale(float value)
    {
        var map = new RelevanceMap(50, 50, Enumerable.Repeat(value, 2500).ToArray());
        var choice = RoiSelector.SelectDetailed(map, 0.2);

        Assert.Equal(1.0, choice.Scale, Tol);
        // Base side 0.2 of the frame, centred: [0.4, 0.6] both ways.
        Assert.Equal(0.4, choice.Box.X0, Tol);
        Assert.Equal(0.6, choice.Box.X1, Tol);
        Assert.Equal(0.4, choice.Box.Y0, Tol);
        Assert.Equal(0.6, choice.Box.Y1, Tol);
    }

    [Fact]
    public void Base_fraction_of_one_covers_the_whole_frame()
    {
        var box = RoiSelector.Select(Blobs(40, 30, new Blob(10, 10, 2.0)), 1.0);
        Assert.Equal(NormalizedBox.Create(0, 0, 1, 1), box);
    }

    [Fact]
    public void Tiny_maps_still_work()
    {
        var box = RoiSelector.Select(new RelevanceMap(1, 1, [1f]), 0.01);
        Assert.Null(box.Validate());
        var twoByTwo = RoiSelector.Select(new RelevanceMap(2, 2, [0f, 0f, 0f, 5f]), 0.5);
        Assert.True(Contains(twoByTwo, 0.75, 0.75));
    }

    [Fact]
    public void Custom_scales_are_honoured()
    {
        var choice = RoiSelector.SelectDetailed(Blobs(100, 100, new Blob(50, 50, 1.0)), 0.1, [1.5]);
        Assert.Equal(1.5, choice.Scale, Tol);
        Assert.Equal(0.15, choice.Box.Width, Tol);
    }

    [Theory]
    [InlineData(0.0, "base fraction")]
    [InlineData(-0.1, "base fraction")]
    [InlineData(1.5, "base fraction")]
    [InlineData(double.NaN, "base fraction")]
    public void Bad_base_fraction_is_rejected(double baseFraction, string mentioned)
    {
        var map = RelevanceMap.Uniform(10, 10);
        var e = Assert.Throws<ArgumentException>(() => RoiSelector.Select(map, baseFraction));
        Assert.Contains(mentioned, e.Message);
    }

    [Fact]
    public void Bad_maps_and_scales_are_rejected()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => RoiSelector.Select(new RelevanceMap(0, 5, []), 0.5)).Message);
        Assert.Contains("holds 3 values", Assert.Throws<ArgumentException>(() => RoiSelector.Select(new RelevanceMap(2, 2, [1f, 2f, 3f]), 0.5)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => RoiSelector.Select(new RelevanceMap(2, 1, [1f, float.NaN]), 0.5)).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => RoiSelector.Select(new RelevanceMap(2, 1, [float.PositiveInfinity, 0f]), 0.5)).Message);
        Assert.Contains("scale", Assert.Throws<ArgumentException>(() => RoiSelector.Select(RelevanceMap.Uniform(4, 4), 0.5, [])).Message);
        Assert.Contains("scale", Assert.Throws<ArgumentException>(() => RoiSelector.Select(RelevanceMap.Uniform(4, 4), 0.5, [1.0, -2.0])).Message);
        Assert.ThrowsAny<ArgumentException>(() => RoiSelector.Select(null!, 0.5));
    }
}

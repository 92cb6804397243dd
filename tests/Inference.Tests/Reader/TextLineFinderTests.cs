using CollabVlm.Imaging;
using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

public sealed class TextLineFinderTests
{
    // PaddleOCR's DB defaults, as in ReaderOptions.
    private const float PixelThreshold = 0.3f;
    private const float BoxThreshold = 0.6f;
    private const double UnclipRatio = 1.5;

    private const int W = 40;
    private const int H = 20;

    private static float[] EmptyMap() => new float[W * H];

    private static void Fill(float[] map, int x, int y, int width, int height, float value)
    {
        for (var yy = y; yy < y + height; yy++)
            for (var xx = x; xx < x + width; xx++)
                map[yy * W + xx] = value;
    }

    private static IReadOnlyList<ScoredBox> Find(float[] map) =>
        TextLineFinder.Find(map, W, H, PixelThreshold, BoxThreshold, UnclipRatio);

    [Fact]
    public void One_rectangle_becomes_one_box_grown_by_the_unclip_distance()
    {
        // Kernel x 10..19, y 5..9: w = 10, h = 5.
        // d = w·h·1.5 / (2(w + h)) = 10·5·1.5 / 30 = 2.5.
        // x0 = floor(10 − 2.5) = 7, y0 = floor(5 − 2.5) = 2,
        // x1 = ceil(19 + 1 + 2.5) = 23, y1 = ceil(9 + 1 + 2.5) = 13 → (7, 2, 16, 11).
        var map = EmptyMap();
        Fill(map, 10, 5, 10, 5, 0.9f);

        var box = Assert.Single(Find(map));

        Assert.Equal(new PixelRect(7, 2, 16, 11), box.Box);
        Assert.Equal(0.9f, box.Score, 1e-6f);
    }

    [Fact]
    public void Two_separated_rectangles_become_two_boxes_best_scored_first()
    {
        var map = EmptyMap();
        // Second (lower score) placed first in scan order, so the ordering is by score, not position.
        // Kernel x 28..33, y 2..5: w = 6, h = 4, d = 6·4·1.5 / 20 = 1.8:
        // x0 = floor(26.2) = 26, y0 = floor(0.2) = 0, x1 = ceil(34 + 1.8) = 36, y1 = ceil(6 + 1.8) = 8.
        Fill(map, 28, 2, 6, 4, 0.8f);
        // Kernel x 5..14, y 10..14: w = 10, h = 5, d = 2.5:
        // x0 = floor(2.5) = 2, y0 = floor(7.5) = 7, x1 = ceil(17.5) = 18, y1 = ceil(17.5) = 18.
        Fill(map, 5, 10, 10, 5, 0.9f);

        var boxes = Find(map);

        Assert.Equal(2, boxes.Count);
        Assert.Equal(new PixelRect(2, 7, 16, 11), boxes[0].Box);
        Assert.Equal(0.9f, boxes[0].Score, 1e-6f);
        Assert.Equal(new PixelRect(26, 0, 10, 8), boxes[1].Box);
        Assert.Equal(0.8f, boxes[1].Score, 1e-6f);
    }

    [Fact]
    public void Region_whose_mean_is_below_the_box_threshold_is_dropped()
    {
        var map = EmptyMap();
        // Above the pixel threshold (0.5 > 0.3) but its mean 0.5 < 0.6: dropped.
        Fill(map, 2, 2, 10, 5, 0.5f);
        // Kept for contrast.
        Fill(map, 20, 10, 10, 5, 0.9f);

        var box = Assert.Single(Find(map));

        Assert.Equal(0.9f, box.Score, 1e-6f);
        // x 20..29 grown by 2.5 → 17..33.
        Assert.Equal(17, box.Box.X);
    }

    [Fact]
    public void Mean_is_taken_over_the_whole_bounding_box_so_a_sparse_region_is_dropped()
    {
        var map = EmptyMap();
        // An L of 0.9: a 10×1 bar on row 10 and a 1×5 bar on column 5, rows 6..10.
        // Bounding box 10×5 = 50 cells holding 10 + 4 = 14 cells of 0.9: mean 12.6/50 = 0.252 < 0.6.
        Fill(map, 5, 10, 10, 1, 0.9f);
        Fill(map, 5, 6, 1, 5, 0.9f);

        Assert.Empty(Find(map));
    }

    [Fact]
    public void Sliver_two_pixels_high_is_dropped_and_three_pixels_high_is_kept()
    {
        // PaddleOCR's min_size: a kernel whose shorter side is below 3 is noise.
        var thin = EmptyMap();
        Fill(thin, 5, 5, 20, 2, 0.95f);
        Assert.Empty(Find(thin));

        var three = EmptyMap();
        Fill(three, 5, 5, 20, 3, 0.95f);
        // w = 20, h = 3: d = 60·1.5 / 46 = 1.9565…;
        // x0 = floor(3.04) = 3, y0 = floor(3.04) = 3, x1 = ceil(26.96) = 27, y1 = ceil(9.96) = 10.
        var box = Assert.Single(Find(three));
        Assert.Equal(new PixelRect(3, 3, 24, 7), box.Box);
    }

    [Fact]
    public void Boxes_are_clamped_at_the_map_edges()
    {
        var map = EmptyMap();
        // Top-left kernel x 0..9, y 0..4 (d = 2.5): x0 = max(0, floor(−2.5)) = 0, y0 = 0,
        // x1 = ceil(12.5) = 13, y1 = ceil(7.5) = 8 → (0, 0, 13, 8).
        Fill(map, 0, 0, 10, 5, 0.9f);
        // Bottom-right kernel x 30..39, y 15..19 (d = 2.5): x0 = floor(27.5) = 27, y0 = floor(12.5) = 12,
        // x1 = min(40, ceil(42.5)) = 40, y1 = min(20, ceil(22.5)) = 20 → (27, 12, 13, 8).
        Fill(map, 30, 15, 10, 5, 0.8f);

        var boxes = Find(map);

        Assert.Equal([new PixelRect(0, 0, 13, 8), new PixelRect(27, 12, 13, 8)], boxes.Select(b => b.Box));
    }

    [Fact]
    public void Squares_touching_only_at_a_corner_are_separate_components()
    {
        // 4-connectivity: (5..7, 5..7) and (8..10, 8..10) meet diagonally at (7,7)/(8,8).
        var map = EmptyMap();
        Fill(map, 5, 5, 3, 3, 0.9f);
        Fill(map, 8, 8, 3, 3, 0.9f);

        Assert.Equal(2, Find(map).Count);
    }

    [Fact]
    public void Map_length_that_is_not_width_times_height_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            TextLineFinder.Find(new float[W * H - 1], W, H, PixelThreshold, BoxThreshold, UnclipRatio));

        Assert.Contains("799", e.Message);
    }
}

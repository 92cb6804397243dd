using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;

namespace CollabVlm.Inference.Tests.Roi;

public sealed class ProposalRankingTests
{
    private const int W = 4000, H = 3000;

    // A text line 8 px high, 60 px wide at (x, y) in a 4000×3000 frame.
    private static TextProposal Line(double x, double y, double score, double heightPx = 8, double widthPx = 60, string? colour = null) =>
        new(NormalizedBox.Create(x / W, y / H, (x + widthPx) / W, (y + heightPx) / H), score, heightPx, colour);

    private static bool Holds(NormalizedBox crop, TextProposal line) =>
        crop.X0 <= line.Box.X0 && crop.X1 >= line.Box.X1 && crop.Y0 <= line.Box.Y0 && crop.Y1 >= line.Box.Y1;

    // A 4×3 coarse map (each cell 1000 × 1000 px of the frame) relevant in one cell only.
    private static CoarseRelevance MapPeakingAt(int cellX, int cellY)
    {
        var cells = new byte[12];
        cells[cellY * 4 + cellX] = 255;
        return new CoarseRelevance(4, 3, cells);
    }

    private static readonly NormalizedBox ServerBox = NormalizedBox.Create(0.4, 0.4, 0.56, 0.6133);

    [Fact]
    public void Without_proposals_or_with_only_tiny_ones_the_server_box_stands()
    {
        Assert.Equal(ServerBox, ProposalRanking.Choose(ServerBox, null, [], W, H));
        Assert.Equal(ServerBox, ProposalRanking.Choose(ServerBox, null, [Line(100, 100, 0.9, heightPx: 3)], W, H));
    }

    [Fact]
    public void The_crop_centres_on_the_surest_line_keeps_the_server_box_size_and_stays_inside_the_frame()
    {
        var chosen = ProposalRanking.Choose(ServerBox, null, [Line(1000, 1000, 0.7), Line(3980, 20, 0.95, widthPx: 20)], W, H);
        Assert.Equal(ServerBox.Width, chosen.Width, 9);
        Assert.Equal(ServerBox.Height, chosen.Height, 9);
        // The surer line sits at the top-right corner: the crop is shifted inside, not shrunk.
        Assert.Equal(1.0, chosen.X1, 9);
        Assert.Equal(0.0, chosen.Y0, 9);
    }

    [Fact]
    public void A_least_side_makes_a_small_line_s_crop_that_small_and_a_large_line_s_crop_keep_its_context()
    {
        // A 60 × 8 px line: the crop is the least side, 256 px, centred on it, not the server's 640 × 640.
        var small = Line(1000, 1000, 0.9);
        var tight = ProposalRanking.Choose(ServerBox, [(small, 1.0)], W, H, leastSidePixels: 256);
        Assert.Equal(256.0 / W, tight.Width, 9);
        Assert.Equal(256.0 / H, tight.Height, 9);
        Assert.True(Holds(tight, small), $"{tight} should hold the line");

        // A 400 × 60 px line: the crop is 16 of its heights across and 10 down (words of the same sign the detector split
        // off stay in view), whatever the least side; a line wider than that gets its margin.
        var large = Line(1000, 1000, 0.9, heightPx: 60, widthPx: 400);
        var around = ProposalRanking.Choose(ServerBox, [(large, 1.0)], W, H, leastSidePixels: 256);
        Assert.Equal(ProposalRanking.ContextLineHeightsAcross * 60 / W, around.Width, 9);
        Assert.Equal(ProposalRanking.ContextLineHeightsDown * 60 / H, around.Height, 9);
        var wide = Line(1000, 1000, 0.9, heightPx: 60, widthPx: 1000);
        Assert.Equal(ProposalRanking.LineMargin * 1000 / W, ProposalRanking.Choose(ServerBox, [(wide, 1.0)], W, H, leastSidePixels: 256).Width, 9);
        Assert.True(Holds(around, large));

        // 0 keeps the server's box as the least size; a negative side is refused.
        Assert.Equal(ServerBox.Width, ProposalRanking.Choose(ServerBox, [(small, 1.0)], W, H).Width, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProposalRanking.Choose(ServerBox, [(small, 1.0)], W, H, leastSidePixels: -1));
    }

    [Fact]
    public void The_servers_map_outranks_a_surer_line_where_the_server_saw_nothing()
    {
        // 4×3 map, relevant only in the cell around (1000, 1000) px.
        var hint = MapPeakingAt(1, 1);
        var relevant = Line(1200, 1200, 0.6);
        var elsewhere = Line(3500, 2500, 0.9);
        var chosen = ProposalRanking.Choose(ServerBox, hint, [relevant, elsewhere], W, H);
        Assert.True(chosen.X0 < 1230.0 / W && chosen.X1 > 1230.0 / W, $"{chosen} should hold the relevant line");
        // Without the map the surer line wins.
        var blind = ProposalRanking.Choose(ServerBox, null, [relevant, elsewhere], W, H);
        Assert.True(blind.X1 > 3530.0 / W && blind.X0 < 3530.0 / W, $"{blind} should hold the surer line");
    }

    [Fact]
    public void Ranked_lists_the_lines_best_first_without_the_tiny_ones_and_the_crop_is_cut_around_its_first()
    {
        var hint = MapPeakingAt(1, 1);
        var relevant = Line(1200, 1200, 0.6);
        var elsewhere = Line(3500, 2500, 0.9);
        var tiny = Line(2000, 100, 0.99, heightPx: 3);
        var ranked = ProposalRanking.Ranked(hint, [elsewhere, tiny, relevant], W, H);
        Assert.Equal([relevant, elsewhere], ranked.Select(r => r.Line));
        Assert.True(ranked[0].Rank > ranked[1].Rank);
        var chosen = ProposalRanking.Choose(ServerBox, hint, [elsewhere, tiny, relevant], W, H);
        Assert.Equal((relevant.Box.X0 + relevant.Box.X1) / 2, (chosen.X0 + chosen.X1) / 2, 9);
    }

    [Fact]
    public void A_line_the_global_image_already_showed_legibly_loses_to_small_text_the_servers_map_missed()
    {
        // The server's map peaks on a 600-px "line" (an illustration: 117 px high in a 768-px global image), where the
        // small sign it could not see has nothing.
        var hint = MapPeakingAt(0, 0);
        var large = Line(100, 100, 0.25, heightPx: 600, widthPx: 900);
        var small = Line(3000, 2500, 0.2, heightPx: 30, widthPx: 60);
        Assert.Equal(large, ProposalRanking.Ranked(hint, [large, small], W, H)[0].Line);
        Assert.Equal(small, ProposalRanking.Ranked(hint, [large, small], W, H, globalLongSide: 768)[0].Line);
        // A line below legibility there keeps its rank; without the server's map nothing is weighted by it.
        var legible = ProposalRanking.LegibleGlobalLinePx * 4000 / 768;
        var sign = Line(100, 100, 0.25, heightPx: legible, widthPx: 3 * legible);
        Assert.Equal(ProposalRanking.Rank(sign, hint, W, H), ProposalRanking.Rank(sign, hint, W, H, 768), 12);
        Assert.Equal(ProposalRanking.Rank(large, null, W, H), ProposalRanking.Rank(large, null, W, H, 768), 12);
        Assert.Equal(large, ProposalRanking.Ranked(null, [large, small], W, H, globalLongSide: 768)[0].Line);
    }

    [Fact]
    public void A_line_taller_than_wide_ranks_below_a_text_shaped_one_of_the_same_confidence()
    {
        var blob = Line(100, 100, 0.8, heightPx: 40, widthPx: 30);
        var text = Line(100, 100, 0.8, heightPx: 10, widthPx: 60);
        Assert.True(ProposalRanking.Rank(text, null, W, H) > ProposalRanking.Rank(blob, null, W, H));
    }

    [Fact]
    public void A_line_wider_than_the_server_box_gets_a_crop_with_a_margin_around_it()
    {
        var wide = Line(100, 1500, 0.9, heightPx: 60, widthPx: 1200);
        var chosen = ProposalRanking.Choose(ServerBox, null, [wide], W, H);
        Assert.Equal(ProposalRanking.LineMargin * 1200 / W, chosen.Width, 9);
        Assert.True(chosen.X0 <= 100.0 / W && chosen.X1 >= 1300.0 / W);
    }

    [Fact]
    public void Shrink_keeps_a_one_cell_peak_at_full_scale_and_stays_within_the_cell_limit()
    {
        var values = new float[192 * 128];
        values[77 * 192 + 150] = 0.4f;
        var coarse = ProposalRanking.Shrink(new RelevanceMap(192, 128, values), maxCellsPerSide: 24);
        Assert.Null(coarse.Validate());
        Assert.True(coarse.Width <= 24 && coarse.Height <= 24);
        Assert.Equal(255, coarse.Cells.Max());
        Assert.Equal(1.0, coarse.At(150.5 / 192, 77.5 / 128), 9);
        Assert.Equal(1, coarse.Cells.Count(c => c > 0));
        Assert.All(ProposalRanking.Shrink(new RelevanceMap(10, 10, new float[100])).Cells, c => Assert.Equal(0, c));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProposalRanking.Shrink(new RelevanceMap(10, 10, new float[100]), 0));
    }

    [Fact]
    public void A_coarse_map_of_the_wrong_size_says_what_is_wrong()
    {
        Assert.Contains("needs 6 cells", new CoarseRelevance(3, 2, new byte[5]).Validate());
        Assert.Contains("1–64 cells", new CoarseRelevance(0, 2, []).Validate());
        Assert.Equal(1.0, new CoarseRelevance(2, 1, [0, 255]).MaxOver(NormalizedBox.Create(0, 0, 1, 1)), 9);
        Assert.Equal(0.0, new CoarseRelevance(2, 1, [0, 255]).MaxOver(NormalizedBox.Create(0, 0, 0.4, 1)), 9);
    }

    [Theory]
    [InlineData("What does the red sign say?", 0)]
    [InlineData("What does the blue sign say?", 1)]
    public void A_question_that_names_a_colour_picks_the_line_on_that_plate_even_when_the_detector_is_surer_of_another(string question, int expected)
    {
        TextProposal[] lines = [Line(600, 1500, 0.70, colour: "red"), Line(3000, 1500, 0.90, colour: "blue")];
        var chosen = ProposalRanking.Choose(ServerBox, null, lines, W, H, SignQueryParser.Parse(question));
        Assert.True(Holds(chosen, lines[expected]), $"{chosen} should hold line {expected}");
        Assert.False(Holds(chosen, lines[1 - expected]), $"{chosen} should not hold line {1 - expected}");
    }

    [Fact]
    public void A_place_is_judged_among_the_likely_signs_not_among_every_faint_line()
    {
        // A faint flicker at the far left (below the contenders' share of the best rank) is not "the sign on the left".
        var flicker = Line(50, 1500, 0.1);
        var left = Line(1500, 1500, 0.6);
        var right = Line(3000, 1500, 0.9);
        var chosen = ProposalRanking.Choose(ServerBox, null, [flicker, left, right], W, H, SignQueryParser.Parse("What does the sign on the left say?"));
        Assert.True(Holds(chosen, left), $"{chosen} should hold the left one of the two signs");
    }

    [Fact]
    public void A_question_that_names_no_sign_leaves_the_ranks_as_they_are()
    {
        TextProposal[] lines = [Line(600, 1500, 0.7, colour: "red"), Line(3000, 1500, 0.9, colour: "blue")];
        var plain = SignQueryParser.Parse("What does the sign say?");
        Assert.False(plain.NamesASign);
        Assert.Equal(ProposalRanking.Choose(ServerBox, null, lines, W, H), ProposalRanking.Choose(ServerBox, null, lines, W, H, plain));
        // A named colour no line has: every fit is zero, and the detector's ranks stand.
        var ranks = new List<double> { 0.7, 0.9 };
        Assert.Equal(ranks, ProposalRanking.WeighByQuestion(SignQueryParser.Parse("What does the green sign say?"), lines, ranks));
    }

    [Fact]
    public void The_crop_holds_the_whole_sign_the_chosen_line_belongs_to()
    {
        // A wide 40-px sign the detector split in two words, a second row under it, and another sign's line far away.
        var first = Line(1000, 1500, 0.9, heightPx: 40, widthPx: 300, colour: "white");
        var second = Line(1340, 1500, 0.6, heightPx: 40, widthPx: 420, colour: "white");
        var row = Line(1000, 1560, 0.5, heightPx: 36, widthPx: 500, colour: "white");
        var elsewhere = Line(3000, 600, 0.7, heightPx: 40, widthPx: 200, colour: "white");
        var otherPlate = Line(1790, 1500, 0.5, heightPx: 40, widthPx: 200, colour: "red"); // touching, but another plate
        var chosen = ProposalRanking.Choose(ServerBox, null, [first, second, row, elsewhere, otherPlate], W, H);

        Assert.True(Holds(chosen, first) && Holds(chosen, second) && Holds(chosen, row), $"{chosen} should hold the whole sign");
        Assert.False(Holds(chosen, elsewhere), $"{chosen} should not reach the far sign");
        var sign = ProposalRanking.SignAround(first, [first, second, row, elsewhere, otherPlate], ServerBox, W, H);
        Assert.Equal((1000.0 / W, 1760.0 / W), (sign.X0, sign.X1));   // not grown onto the red plate beside it
        Assert.Equal((1500.0 / H, 1596.0 / H), (sign.Y0, sign.Y1));
    }
}

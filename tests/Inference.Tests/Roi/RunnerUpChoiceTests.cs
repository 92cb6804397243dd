using CollabVlm.Primitives;

namespace CollabVlm.Inference.Tests.Roi;

public sealed class RunnerUpChoiceTests
{
    private const int W = 4000, H = 3000;
    private static readonly NormalizedBox ServerBox = NormalizedBox.Create(0.4, 0.4, 0.56, 0.6133);

    // A text line heightPx high, 6 heights wide, at (x, y) in a 4000×3000 frame.
    private static TextProposal Line(double x, double y, double heightPx = 10) =>
        new(NormalizedBox.Create(x / W, y / H, (x + 6 * heightPx) / W, (y + heightPx) / H), 0.8, heightPx);

    private static IReadOnlyList<RunnerUp> Choose(int max, params (TextProposal Line, double Rank)[] ranked) =>
        RunnerUpChoice.Choose(ProposalRanking.Choose(ServerBox, ranked, W, H), ranked, ServerBox, W, H, max);

    private static bool Holds(NormalizedBox box, TextProposal line) =>
        box.Contains((line.Box.X0 + line.Box.X1) / 2, (line.Box.Y0 + line.Box.Y1) / 2);

    [Fact]
    public void Lines_close_behind_the_best_get_a_tight_crop_each_in_rank_order()
    {
        var (best, second, third) = (Line(500, 500), Line(3000, 2500), Line(2000, 200));
        var chosen = Choose(2, (best, 1.0), (second, 0.6), (third, 0.3));

        Assert.Equal([second, third], chosen.Select(c => c.Line));
        Assert.All(chosen.Zip([second, third]), c => Assert.True(Holds(c.First.Region, c.Second), $"{c.First.Region} misses {c.Second.Box}"));
        // Tight: a few line heights around a 60×10 px line, not a server-sized window.
        Assert.All(chosen, c => Assert.InRange(c.Region.Height * H, 10 + 2, 10 * (1 + RunnerUpChoice.ContextLines) + 1));
        Assert.All(chosen, c => Assert.Equal(1, c.Scale)); // small text keeps its pixels
    }

    [Fact]
    public void The_ranking_sure_enough_the_limit_or_a_line_the_region_holds_already_leaves_a_runner_up_out()
    {
        var (best, far) = (Line(500, 500), Line(3000, 2500));
        Assert.Empty(Choose(2, (best, 1.0), (far, RunnerUpChoice.RankShare * 0.9)));
        Assert.Empty(Choose(0, (best, 1.0), (far, 0.9)));
        Assert.Single(Choose(1, (best, 1.0), (far, 0.9), (Line(2000, 200), 0.8)));

        // A line beside the best is inside the region already: the next one outside it is taken instead.
        var beside = Line(500, 560);
        Assert.Equal([far], Choose(2, (best, 1.0), (beside, 0.9), (far, 0.5)).Select(c => c.Line));
        // Nothing after the best, or nothing ranked at all.
        Assert.Empty(Choose(2, (best, 1.0)));
        Assert.Empty(Choose(2));
    }

    [Fact]
    public void A_large_line_is_scaled_down_to_what_the_reader_needs_and_its_crop_stays_inside_the_frame()
    {
        var big = Line(3100, 2860, heightPx: 128); // its crop would stick out right and below
        var chosen = Assert.Single(Choose(2, (Line(500, 500), 1.0), (big, 0.5)));
        Assert.Equal(RunnerUpChoice.MaxLinePx / 128, chosen.Scale, 9);
        Assert.Null(chosen.Region.Validate());
        Assert.True(Holds(chosen.Region, big));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RunnerUpChoice.Choose(ServerBox, [], ServerBox, W, H, -1));
        Assert.Throws<ArgumentException>(() => RunnerUpChoice.Choose(ServerBox, [], ServerBox, 0, H, 1));
    }
}

using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.TwoStage.Tests.Settings;

public sealed class EdgeProposalSettingsTests
{
    [Fact]
    public void The_scan_is_on_by_default_and_bad_budgets_name_the_setting()
    {
        Assert.True(new EdgeSettings().ProposeRegions);
        Assert.Null(new EdgeSettings().Validate());
        Assert.Contains("Edge:ProposalMaxPixels", new EdgeSettings { ProposalMaxPixels = 1000 }.Validate());
        Assert.Contains("Edge:ProposalTimeBudget", new EdgeSettings { ProposalTimeBudget = TimeSpan.Zero }.Validate());
        Assert.Contains("Edge:ProposalWait", new EdgeSettings { ProposalWait = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Null(new EdgeSettings { ProposalWait = TimeSpan.Zero }.Validate());
        Assert.Equal(2, new EdgeSettings().RegionRunnersUp);
        Assert.Null(new EdgeSettings { RegionRunnersUp = 0 }.Validate());
        Assert.Contains("Edge:RegionRunnersUp", new EdgeSettings { RegionRunnersUp = -1 }.Validate());
        Assert.Contains("Edge:RegionRunnersUp", new EdgeSettings { RegionRunnersUp = EdgeSettings.MaxRegionRunnersUp + 1 }.Validate());
        Assert.Equal(0, new EdgeSettings().SnappedRegionPixels);
        Assert.Contains("Edge:SnappedRegionPixels", new EdgeSettings { SnappedRegionPixels = -1 }.Validate());
    }

    [Theory]
    [InlineData(1, 10, 1)] // the setting, when the transfer leaves room
    [InlineData(30, 9, 3)] // at most a third of the transfer time: the layers still need the rest
    [InlineData(5, 0, 0)] // no transfer time, no wait
    [InlineData(5, -2, 0)]
    [InlineData(0, 10, 0)] // the setting 0: never wait, cut with what the scan has
    public void A_region_request_waits_for_the_scan_at_most_the_setting_and_a_third_of_its_transfer_time(double waitSeconds, double transferSeconds, double expectedSeconds)
    {
        var settings = new EdgeSettings { ProposalWait = TimeSpan.FromSeconds(waitSeconds) };
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), settings.ProposalWaitWithin(TimeSpan.FromSeconds(transferSeconds)));
    }

    [Fact]
    public void Without_proposals_the_requested_region_is_cut_as_asked()
    {
        var requested = NormalizedBox.Create(0.2, 0.2, 0.4, 0.5);
        Assert.Equal(requested, RegionChoice.Cut(requested, null, null, 4000, 3000, null, null, runnersUp: 0).Region);
        Assert.Equal(requested, RegionChoice.Cut(requested, null, ProposalSet.Empty, 4000, 3000, null, null, runnersUp: 0).Region);
        Assert.Equal((requested, 0), Shape(RegionChoice.Cut(requested, null, ProposalSet.Empty, 4000, 3000, null, null, runnersUp: 2)));
    }

    [Fact]
    public void The_cut_snaps_the_region_and_adds_the_runners_up_from_one_ranking()
    {
        var requested = NormalizedBox.Create(0.2, 0.2, 0.36, 0.41);
        TextProposal[] lines =
        [
            new(NormalizedBox.Create(0.7, 0.7, 0.715, 0.703), 0.9, 10),
            new(NormalizedBox.Create(0.1, 0.8, 0.115, 0.803), 0.8, 10),
        ];
        var proposals = new ProposalSet(lines, TimeSpan.FromSeconds(1), 1, 1, 1);
        var cut = RegionChoice.Cut(requested, null, proposals, 4000, 3000, null, null, runnersUp: 2);
        Assert.Equal(ProposalRanking.Choose(requested, null, proposals.Proposals, 4000, 3000), cut.Region);
        Assert.True(cut.Region.Contains(0.707, 0.701));
        Assert.Equal(lines[1], Assert.Single(cut.RunnersUp).Line);
        Assert.Empty(RegionChoice.Cut(requested, null, proposals, 4000, 3000, null, null, runnersUp: 0).RunnersUp);
    }

    [Fact]
    public void A_snapped_region_is_sized_to_its_line_and_a_tall_line_is_sent_scaled_down_as_a_runner_up_is()
    {
        var requested = NormalizedBox.Create(0.2, 0.2, 0.36, 0.41); // 640 × 630 px of a 4000 × 3000 frame
        ProposalSet Lines(double heightPx) =>
            new([new TextProposal(NormalizedBox.Create(0.5, 0.5, 0.5 + 6 * heightPx / 4000, 0.5 + heightPx / 3000), 0.9, heightPx)], TimeSpan.FromSeconds(1), 1, 1, 1);

        // A 20-px line: a 480-px region at its own pixels, a quarter of the server's box in pixels.
        var small = RegionChoice.Cut(requested, null, Lines(20), 4000, 3000, null, null, runnersUp: 0, snappedRegionPixels: 480);
        Assert.Equal((480.0, 480.0, 1.0), (Math.Round(small.Region.Width * 4000), Math.Round(small.Region.Height * 3000), small.Scale));

        // A 96-px line: ten of its heights down, and sent at a third of its pixels, so the line arrives 32 px high.
        var tall = RegionChoice.Cut(requested, null, Lines(96), 4000, 3000, null, null, runnersUp: 0, snappedRegionPixels: 480);
        Assert.Equal(960, tall.Region.Height * 3000, 6);
        Assert.Equal(RunnerUpChoice.MaxLinePx / 96, tall.Scale, 9);

        // Without a least side (the default) the server's box is the least size, at the region's own pixels.
        var asBefore = RegionChoice.Cut(requested, null, Lines(20), 4000, 3000, null, null, runnersUp: 0);
        Assert.Equal(requested.Width, asBefore.Region.Width, 9);
        Assert.Equal(requested.Height, asBefore.Region.Height, 9);
        Assert.Equal(1.0, RegionChoice.Cut(requested, null, Lines(96), 4000, 3000, null, null, runnersUp: 0).Scale);
    }

    private static (NormalizedBox, int) Shape(RegionCut cut) => (cut.Region, cut.RunnersUp.Count);
}

using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.TwoStage.Tests.Settings;

public sealed class EdgeProposalSettingsTests
{
    [Fact]
    public void The_scan_is_off_by_default_and_bad_budgets_name_the_setting()
    {
        Assert.False(new EdgeSettings().ProposeRegions);
        Assert.Null(new EdgeSettings().Validate());
        Assert.Contains("Edge:ProposalMaxPixels", new EdgeSettings { ProposalMaxPixels = 1000 }.Validate());
        Assert.Contains("Edge:ProposalTimeBudget", new EdgeSettings { ProposalTimeBudget = TimeSpan.Zero }.Validate());
        Assert.Contains("Edge:ProposalWait", new EdgeSettings { ProposalWait = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Null(new EdgeSettings { ProposalWait = TimeSpan.Zero }.Validate());
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
        Assert.Equal(requested, RegionChoice.Snap(requested, null, null, 4000, 3000));
        Assert.Equal(requested, RegionChoice.Snap(requested, null, ProposalSet.Empty, 4000, 3000));
    }
}

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
    }

    [Fact]
    public void Without_proposals_the_requested_region_is_cut_as_asked()
    {
        var requested = NormalizedBox.Create(0.2, 0.2, 0.4, 0.5);
        Assert.Equal(requested, RegionChoice.Snap(requested, null, null, 4000, 3000));
        Assert.Equal(requested, RegionChoice.Snap(requested, null, ProposalSet.Empty, 4000, 3000));
    }
}

using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using Xunit;

namespace CollabVlm.Actors.Tests.Edge;

public sealed class GlobalImageBudgetTests
{
    private static readonly EdgeSettings Settings = new() { MaxGlobalBytes = 90_000, MinGlobalBytes = 12_000, GlobalTargetUploadTime = TimeSpan.FromSeconds(1) };

    [Fact]
    public void An_unknown_link_does_not_shrink_the_global_image() =>
        Assert.Equal(90_000, GlobalImageBudget.MaxBytes(LinkView.Unknown, Settings));

    [Fact]
    public void A_slow_link_in_which_the_edge_is_confident_shrinks_it_to_what_arrives_in_the_target_time()
    {
        var link = new LinkView(31_250, TimeSpan.FromMilliseconds(100), 0.9); // 250 kbit/s
        Assert.Equal(link.BytesWithin(TimeSpan.FromSeconds(1)), GlobalImageBudget.MaxBytes(link, Settings));
        Assert.InRange(GlobalImageBudget.MaxBytes(link, Settings), 29_000, 30_000);
    }

    [Fact]
    public void A_fast_link_keeps_the_message_cap_and_a_very_slow_one_the_floor()
    {
        Assert.Equal(90_000, GlobalImageBudget.MaxBytes(new LinkView(10_000_000, TimeSpan.FromMilliseconds(20), 1), Settings));
        Assert.Equal(12_000, GlobalImageBudget.MaxBytes(new LinkView(1_000, TimeSpan.FromMilliseconds(20), 1), Settings));
    }

    [Fact]
    public void Too_little_confidence_means_the_plain_cap()
    {
        var link = new LinkView(31_250, TimeSpan.FromMilliseconds(100), GlobalImageBudget.MinConfidence / 2);
        Assert.Equal(90_000, GlobalImageBudget.MaxBytes(link, Settings));
    }
}

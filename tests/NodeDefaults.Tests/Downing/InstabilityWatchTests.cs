using CollabVlm.NodeDefaults.Downing;
using Xunit;

namespace CollabVlm.NodeDefaults.Tests.Downing;

/// <summary>When the downing actor decides: after the table held still, or — when it never does — by downing everyone.</summary>
public sealed class InstabilityWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(20);

    private static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Nothing_unreachable_is_idle() =>
        Assert.Equal(DowningTiming.Idle, new InstabilityWatch(Stable, TimeSpan.FromSeconds(15)).Verdict(At(100)));

    [Fact]
    public void A_table_that_holds_still_for_the_stable_time_is_decided()
    {
        var watch = new InstabilityWatch(Stable, TimeSpan.FromSeconds(15));
        watch.Changed(At(0), anyUnreachable: true);
        Assert.Equal(DowningTiming.Wait, watch.Verdict(At(19)));
        Assert.Equal(TimeSpan.FromSeconds(1), watch.NextCheck(At(19)));
        Assert.Equal(DowningTiming.Stable, watch.Verdict(At(20)));
    }

    [Fact]
    public void A_table_that_keeps_changing_past_stable_time_plus_margin_downs_everyone()
    {
        var watch = new InstabilityWatch(Stable, TimeSpan.FromSeconds(15));
        for (var t = 0; t <= 34; t += 5) watch.Changed(At(t), anyUnreachable: true);
        Assert.Equal(DowningTiming.Wait, watch.Verdict(At(34)));
        Assert.Equal(TimeSpan.FromSeconds(1), watch.NextCheck(At(34)));  // the unstable deadline comes before another stable time
        Assert.Equal(DowningTiming.Unstable, watch.Verdict(At(35)));
    }

    [Fact]
    public void Everything_reachable_again_resets_the_clock()
    {
        var watch = new InstabilityWatch(Stable, TimeSpan.FromSeconds(15));
        watch.Changed(At(0), anyUnreachable: true);
        watch.Changed(At(10), anyUnreachable: false);
        watch.Changed(At(30), anyUnreachable: true);
        Assert.Equal(DowningTiming.Wait, watch.Verdict(At(45)));
        Assert.Equal(DowningTiming.Stable, watch.Verdict(At(50)));
    }

    [Fact]
    public void After_a_decision_a_table_still_not_clear_is_decided_again_one_stable_time_later()
    {
        var watch = new InstabilityWatch(Stable, TimeSpan.FromSeconds(15));
        watch.Changed(At(0), anyUnreachable: true);
        watch.Decided(At(20));
        Assert.Equal(DowningTiming.Wait, watch.Verdict(At(39)));
        Assert.Equal(DowningTiming.Stable, watch.Verdict(At(40)));
    }

    [Theory]
    [InlineData(20, 15)]
    [InlineData(4, 4)]
    [InlineData(2, 4)]
    public void The_default_margin_is_three_quarters_of_the_stable_time_and_at_least_four_seconds(int stable, int margin) =>
        Assert.Equal(TimeSpan.FromSeconds(margin), InstabilityWatch.DefaultMargin(TimeSpan.FromSeconds(stable)));
}

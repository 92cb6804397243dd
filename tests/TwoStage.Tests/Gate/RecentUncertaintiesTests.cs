using CollabVlm.TwoStage.Gate;

namespace CollabVlm.TwoStage.Tests.Gate;

public sealed class RecentUncertaintiesTests
{
    [Fact]
    public void Keeps_only_the_last_capacity_values()
    {
        var window = new RecentUncertainties(3);
        foreach (var u in new[] { 9.0, 8.0, 1.0, 2.0, 3.0 }) window.Add(u);
        Assert.Equal(3, window.Count);
        Assert.Equal((0, 0), window.Rank(8.0)); // 9 and 8 have left the window
        Assert.Equal((1, 1), window.Rank(2.0));
    }

    [Fact]
    public void Quantile_leaves_at_most_the_share_above_it()
    {
        var window = new RecentUncertainties(10);
        for (var i = 1; i <= 10; i++) window.Add(i);
        Assert.Equal(7.0, window.Quantile(0.3)); // 8, 9, 10 above
        Assert.Equal(10.0, window.Quantile(0.0));
        Assert.Equal(1.0, window.Quantile(1.0));
        Assert.Equal(double.PositiveInfinity, new RecentUncertainties(4).Quantile(0.5));
    }

    [Fact]
    public void Refuses_a_window_of_nothing_and_NaN()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentUncertainties(0));
        Assert.Throws<ArgumentException>(() => new RecentUncertainties(2).Add(double.NaN));
    }
}

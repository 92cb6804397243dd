namespace CollabVlm.TwoStage.Tests.Settings;

public sealed class ServerSettingsTests
{
    private static readonly ServerSettings Settings = new() { LocalStageTimeout = TimeSpan.FromSeconds(10), RefinedPassReserve = TimeSpan.FromSeconds(1.5) };

    [Theory]
    [InlineData(30.0, 10.0)] // a long deadline: the local stage's own cap
    [InlineData(5.0, 3.5)]   // a short one: what is left after the refined pass's reserve
    [InlineData(1.5, 0.0)]   // nothing left for the transfer
    [InlineData(0.5, 0.0)]
    [InlineData(-2.0, 0.0)]  // already past the deadline
    public void The_transfer_gets_what_the_deadline_leaves_after_the_refined_pass_at_most_the_cap(double remainingSeconds, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Settings.TransferTime(TimeSpan.FromSeconds(remainingSeconds)));

    [Theory]
    [InlineData(5.0, 1.0, 3.5)]   // an idle model: the fixed reserve
    [InlineData(5.0, 4.0, 1.0)]   // a busy one: what its queue forecast needs
    [InlineData(5.0, 6.0, 0.0)]   // saturated: no time for a transfer at all
    public void A_busy_model_takes_its_forecast_from_the_transfer_instead_of_the_fixed_reserve(double remainingSeconds, double forecastSeconds, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Settings.TransferTime(TimeSpan.FromSeconds(remainingSeconds), TimeSpan.FromSeconds(forecastSeconds)));

    [Theory]
    [InlineData(1.2, 200, "Server:RetransmitBudget")]
    [InlineData(-0.1, 200, "Server:RetransmitBudget")]
    [InlineData(0.3, 5, "Server:RetransmitBudgetWindow")]
    public void A_budget_outside_its_range_is_named(double budget, int window, string named) =>
        Assert.Contains(named, new ServerSettings { RetransmitBudget = budget, RetransmitBudgetWindow = window }.Validate());

    [Fact]
    public void A_share_in_range_is_valid() => Assert.Null(new ServerSettings { RetransmitBudget = 0.3 }.Validate());
}

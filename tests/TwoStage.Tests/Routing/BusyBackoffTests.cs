using CollabVlm.TwoStage.Routing;

namespace CollabVlm.TwoStage.Tests.Routing;

public sealed class BusyBackoffTests
{
    private static readonly BusyBackoff Backoff = new(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Theory]
    [InlineData(1, 0.5, 0.2)]
    [InlineData(2, 0.5, 0.4)]
    [InlineData(3, 0.5, 0.8)]
    [InlineData(5, 0.5, 2.0)]   // capped
    [InlineData(60, 0.5, 2.0)]  // no overflow however many refusals
    [InlineData(1, 0.0, 0.1)]   // jitter: half …
    [InlineData(1, 0.999, 0.2998)] // … to one and a half
    public void The_delay_doubles_per_refusal_up_to_the_cap_and_is_jittered(int refusals, double unit, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, Backoff.Delay(refusals, S(30), unit)!.Value.TotalSeconds, 3);

    [Fact]
    public void No_retry_when_the_deadline_would_not_leave_time_for_a_pass_after_the_delay()
    {
        Assert.NotNull(Backoff.Delay(1, S(1.2), 0.5));  // 1.2 − 0.2 = 1.0 s left
        Assert.Null(Backoff.Delay(1, S(1.1), 0.5));
        Assert.Null(Backoff.Delay(1, S(-3), 0.5));
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(0, S(30), 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(1, S(30), 1.0));
        Assert.Null(BusyBackoff.Default.Validate());
        Assert.NotNull((Backoff with { Cap = S(0.1) }).Validate());
    }
}

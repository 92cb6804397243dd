using CollabVlm.TwoStage.Admission;

namespace CollabVlm.TwoStage.Tests.Admission;

public sealed class WaitPredictorTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Before_any_call_the_prior_predicts_and_the_wait_grows_with_the_jobs_ahead()
    {
        var predictor = new WaitPredictor(S(0.5));
        Assert.Equal(TimeSpan.Zero, predictor.PredictedWait(0));
        Assert.Equal(S(2), predictor.PredictedWait(4));
        Assert.Equal(TimeSpan.Zero, predictor.PredictedWait(-3));
    }

    [Fact]
    public void The_service_time_follows_a_slower_model_within_a_few_calls_and_ignores_bad_durations()
    {
        var predictor = new WaitPredictor(S(0.5), weight: 0.5);
        predictor.Observe(S(2));
        Assert.Equal(1.25, predictor.ServiceTime.TotalSeconds, 6);
        for (var i = 0; i < 10; i++) predictor.Observe(S(2));
        Assert.InRange(predictor.ServiceTime.TotalSeconds, 1.99, 2.0);
        predictor.Observe(TimeSpan.Zero);
        predictor.Observe(S(-1));
        Assert.InRange(predictor.ServiceTime.TotalSeconds, 1.99, 2.0);
    }

    [Fact]
    public void A_long_call_is_the_mean_plus_the_recent_spread()
    {
        var predictor = new WaitPredictor(S(1), weight: 0.5);
        Assert.Equal(S(1), predictor.LongServiceTime); // no spread seen yet
        predictor.Observe(S(3));                       // deviation 0.5 × |3 − 1| = 1, mean 2
        Assert.Equal(2.0, predictor.ServiceTime.TotalSeconds, 6);
        Assert.Equal(4.0, predictor.LongServiceTime.TotalSeconds, 6);
        for (var i = 0; i < 30; i++) predictor.Observe(S(2)); // steady calls: the spread fades
        Assert.InRange(predictor.LongServiceTime.TotalSeconds, 2.0, 2.001);
    }

    [Fact]
    public void A_query_is_admitted_only_when_its_global_pass_can_end_within_what_is_left_of_its_deadline()
    {
        var predictor = new WaitPredictor(S(2), weight: 1);
        Assert.Null(predictor.Refusal(jobsAhead: 4, deadline: S(10)));   // 4 × 2 s + 2 s = 10 s: just in time
        var refusal = predictor.Refusal(jobsAhead: 5, deadline: S(10));  // 12 s
        Assert.NotNull(refusal);
        Assert.Contains("predicted wait 10.0 s", refusal);
        Assert.Contains("10.0 s left", refusal);
        Assert.NotNull(predictor.Refusal(jobsAhead: 0, deadline: S(1)));  // its own pass alone is too long
        // With a margin: 8 s fit 80 % of 10 s, 10 s do not.
        Assert.Null(predictor.Refusal(jobsAhead: 3, deadline: S(10), share: 0.8));
        Assert.Contains("exceeds 80", predictor.Refusal(jobsAhead: 4, deadline: S(10), share: 0.8));
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Refusal(1, S(10), share: 0));
    }

    [Theory]
    [InlineData(-0.1, 0.3)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.5, 1.5)]
    public void Bad_settings_are_refused(double prior, double weight) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitPredictor(S(prior), weight));
}

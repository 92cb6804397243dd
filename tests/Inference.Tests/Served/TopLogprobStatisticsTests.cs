using CollabVlm.Inference.Served;

namespace CollabVlm.Inference.Tests.Served;

public sealed class TopLogprobStatisticsTests
{
    // A full distribution over 8 tokens; the server lists its top k.
    private static readonly double[] Full = [0.6, 0.2, 0.08, 0.05, 0.03, 0.02, 0.015, 0.005];

    private static double ShannonOfFull => -Full.Sum(p => p * Math.Log2(p));

    private static TopLogprobBounds TopK(int k) =>
        TopLogprobStatistics.Bounds(Math.Log(Full[0]), [.. Full.Take(k).Select(p => Math.Log(p))], chosenListed: true, vocabularySize: Full.Length);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Max_probability_is_exact_for_any_k(int k)
    {
        var bounds = TopK(k);
        Assert.Equal(0.6, bounds.Stat.MaxProb, 12);
        Assert.Equal(-Math.Log2(0.6), UncertaintyScore.MinEntropy(bounds.Stat), 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Second_probability_is_exact_from_two_alternatives_on(int k) => Assert.Equal(0.2, TopK(k).Stat.SecondProb, 12);

    [Fact]
    public void With_one_alternative_the_second_probability_is_the_tail_bound()
    {
        var bounds = TopK(1);
        Assert.Equal(0.4, bounds.TailMass, 12);
        Assert.Equal(0.4, bounds.Stat.SecondProb, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Shannon_entropy_lies_between_the_bounds_and_the_reported_value_is_the_lower(int k)
    {
        var bounds = TopK(k);
        Assert.InRange(ShannonOfFull, bounds.EntropyLowerBits - 1e-12, bounds.EntropyUpperBits!.Value + 1e-12);
        Assert.Equal(bounds.EntropyLowerBits, bounds.Stat.EntropyBits, 12);
    }

    [Fact]
    public void The_bounds_tighten_as_k_grows_and_meet_when_the_tail_is_empty()
    {
        var widths = new[] { 1, 3, 5, 8 }.Select(k => TopK(k)).Select(b => b.EntropyUpperBits!.Value - b.EntropyLowerBits).ToList();
        Assert.True(widths.Zip(widths.Skip(1)).All(w => w.Second <= w.First + 1e-12), string.Join(", ", widths));
        Assert.Equal(ShannonOfFull, TopK(8).Stat.EntropyBits, 9);
        Assert.Equal(0, TopK(8).TailMass, 9);
    }

    [Fact]
    public void A_sampled_token_outside_the_list_is_added_and_minus_9999_counts_as_zero()
    {
        var stat = TopLogprobStatistics.FromTopLogprobs(Math.Log(0.1), [Math.Log(0.7), Math.Log(0.15), -9999.0], chosenListed: false);
        Assert.Equal(0.7, stat.MaxProb, 12);
        Assert.Equal(0.15, stat.SecondProb, 12);
        Assert.True(double.IsFinite(stat.EntropyBits) && stat.EntropyBits > 0);
    }

    [Fact]
    public void Rounded_log_probabilities_summing_past_one_leave_no_negative_tail()
    {
        var bounds = TopLogprobStatistics.Bounds(Math.Log(0.7), [Math.Log(0.7), Math.Log(0.31)], chosenListed: true, vocabularySize: 100);
        Assert.Equal(0, bounds.TailMass);
        Assert.Equal(0.7, bounds.Stat.MaxProb, 12);
    }
}

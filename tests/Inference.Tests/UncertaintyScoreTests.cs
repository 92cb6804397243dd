namespace CollabVlm.Inference.Tests;

public sealed class UncertaintyScoreTests
{
    private const double Tol = 1e-12;

    // p = [0.5, 0.25, 0.25]:
    //   H  = −(0.5·log2 0.5 + 2·0.25·log2 0.25) = 0.5·1 + 0.5·2 = 1.5 bits
    //   H∞ = −log2 0.5 = 1 bit
    //   inverse margin = 1 − (0.5 − 0.25) = 0.75
    private static readonly TokenStat HalfQuarterQuarter = new(0.5, 0.25, 1.5);

    [Fact]
    public void Per_token_measures_of_half_quarter_quarter()
    {
        Assert.Equal(1.0, UncertaintyScore.MinEntropy(HalfQuarterQuarter), Tol);
        Assert.Equal(1.5, UncertaintyScore.Shannon(HalfQuarterQuarter), Tol);
        Assert.Equal(0.75, UncertaintyScore.InverseMargin(HalfQuarterQuarter), Tol);
        Assert.Equal(1.0, UncertaintyScore.PerToken(HalfQuarterQuarter, UncertaintyMeasure.MinEntropy), Tol);
        Assert.Equal(1.5, UncertaintyScore.PerToken(HalfQuarterQuarter, UncertaintyMeasure.Shannon), Tol);
        Assert.Equal(0.75, UncertaintyScore.PerToken(HalfQuarterQuarter, UncertaintyMeasure.Margin), Tol);
    }

    [Fact]
    public void One_hot_token_is_certain()
    {
        // p = [1, 0, …]: H = 0, H∞ = −log2 1 = 0, inverse margin = 1 − (1 − 0) = 0.
        var t = new TokenStat(1, 0, 0);
        Assert.Equal(0, UncertaintyScore.MinEntropy(t), Tol);
        Assert.Equal(0, UncertaintyScore.InverseMargin(t), Tol);
    }

    [Fact]
    public void Zero_top_probability_scores_the_vocabulary_maximum()
    {
        var corrupt = new TokenStat(0, 0, 0);
        Assert.Equal(double.PositiveInfinity, UncertaintyScore.MinEntropy(corrupt));
        // Score caps it at log2(8) = 3 bits, the most a real distribution over 8 classes can have.
        Assert.Equal(3.0, UncertaintyScore.Score([corrupt], UncertaintySpec.Default, 8), Tol);
    }

    [Fact]
    public void Nan_token_counts_as_maximally_uncertain_rather_than_passing_the_gate()
    {
        var nan = new TokenStat(double.NaN, double.NaN, double.NaN);
        var spec = new UncertaintySpec(UncertaintyMeasure.Shannon);
        // Mean of [NaN→log2 4 = 2, 1.5] = 1.75.
        Assert.Equal(1.75, UncertaintyScore.Score([nan, HalfQuarterQuarter], spec, 4), Tol);
    }

    [Fact]
    public void Maximum_is_log2_of_the_vocabulary_for_entropies_and_one_for_margin()
    {
        Assert.Equal(Math.Log2(6625), UncertaintyScore.Maximum(UncertaintyMeasure.MinEntropy, 6625), Tol);
        Assert.Equal(Math.Log2(6625), UncertaintyScore.Maximum(UncertaintyMeasure.Shannon, 6625), Tol);
        Assert.Equal(1.0, UncertaintyScore.Maximum(UncertaintyMeasure.Margin, 6625), Tol);
        Assert.Equal(2.0, UncertaintyScore.Maximum(UncertaintyMeasure.MinEntropy, 4), Tol);
        Assert.Throws<ArgumentException>(() => UncertaintyScore.Maximum(UncertaintyMeasure.MinEntropy, 0));
    }

    [Fact]
    public void Empty_answer_is_maximally_uncertain()
    {
        // log2 6625 ≈ 12.694 bits: the reader's character table.
        Assert.Equal(Math.Log2(6625), UncertaintyScore.Score([], UncertaintySpec.Default, 6625), Tol);
        Assert.Equal(1.0, UncertaintyScore.Score([], new UncertaintySpec(UncertaintyMeasure.Margin), 6625), Tol);
    }

    // Three tokens with top probabilities 1, 0.5, 0.25 → H∞ = 0, 1, 2 bits;
    // Shannon given as 0, 1.5, 2 bits (one-hot, [.5,.25,.25], uniform over 4);
    // inverse margins 1−(1−0) = 0, 1−(0.5−0.25) = 0.75, 1−(0.25−0.25) = 1.
    private static readonly TokenStat[] ThreeTokens =
    [
        new(1.0, 0.0, 0.0),
        HalfQuarterQuarter,
        new(0.25, 0.25, 2.0),
    ];

    [Theory]
    // Mean H∞ = (0 + 1 + 2)/3 = 1; first = 0; first two = (0 + 1)/2 = 0.5.
    [InlineData(UncertaintyMeasure.MinEntropy, TokenAggregation.Mean, 3, 1.0)]
    [InlineData(UncertaintyMeasure.MinEntropy, TokenAggregation.First, 3, 0.0)]
    [InlineData(UncertaintyMeasure.MinEntropy, TokenAggregation.MeanOfFirstK, 2, 0.5)]
    // Mean H = (0 + 1.5 + 2)/3 = 3.5/3; first two = 0.75.
    [InlineData(UncertaintyMeasure.Shannon, TokenAggregation.Mean, 3, 3.5 / 3)]
    [InlineData(UncertaintyMeasure.Shannon, TokenAggregation.MeanOfFirstK, 2, 0.75)]
    // Mean inverse margin = (0 + 0.75 + 1)/3 = 1.75/3; first = 0.
    [InlineData(UncertaintyMeasure.Margin, TokenAggregation.Mean, 3, 1.75 / 3)]
    [InlineData(UncertaintyMeasure.Margin, TokenAggregation.First, 3, 0.0)]
    // K = 10 > 3 tokens: the mean of all three, (0 + 1 + 2)/3 = 1.
    [InlineData(UncertaintyMeasure.MinEntropy, TokenAggregation.MeanOfFirstK, 10, 1.0)]
    public void Aggregations_over_three_tokens(UncertaintyMeasure measure, TokenAggregation aggregation, int k, double expected)
    {
        var spec = new UncertaintySpec(measure, aggregation, k);
        Assert.Equal(expected, UncertaintyScore.Score(ThreeTokens, spec, 6625), Tol);
    }

    [Fact]
    public void Mean_of_first_k_with_nonpositive_k_is_rejected()
    {
        var spec = new UncertaintySpec(UncertaintyMeasure.MinEntropy, TokenAggregation.MeanOfFirstK, 0);
        Assert.Throws<ArgumentException>(() => UncertaintyScore.Score(ThreeTokens, spec, 6625));
    }
}

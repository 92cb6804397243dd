namespace CollabVlm.Inference.Tests;

public sealed class TokenStatisticsTests
{
    private const double Tol = 1e-7;

    [Fact]
    public void Half_quarter_quarter()
    {
        // H = 0.5·1 + 2·(0.25·2) = 1.5 bits; top two 0.5 and 0.25.
        var t = TokenStatistics.FromProbabilities([0.5f, 0.25f, 0.25f]);
        Assert.Equal(0.5, t.MaxProb, Tol);
        Assert.Equal(0.25, t.SecondProb, Tol);
        Assert.Equal(1.5, t.EntropyBits, Tol);
        Assert.Equal(1.0, UncertaintyScore.MinEntropy(t), Tol);
        Assert.Equal(0.75, UncertaintyScore.InverseMargin(t), Tol);
    }

    [Fact]
    public void Order_of_classes_does_not_matter()
    {
        var t = TokenStatistics.FromProbabilities([0.25f, 0.25f, 0.5f]);
        Assert.Equal(0.5, t.MaxProb, Tol);
        Assert.Equal(0.25, t.SecondProb, Tol);
        Assert.Equal(1.5, t.EntropyBits, Tol);
    }

    [Fact]
    public void Uniform_over_four_has_two_bits_of_both_entropies()
    {
        // H = −4·0.25·log2 0.25 = 2; H∞ = −log2 0.25 = 2; margin 0 → inverse margin 1.
        var t = TokenStatistics.FromProbabilities([0.25f, 0.25f, 0.25f, 0.25f]);
        Assert.Equal(2.0, t.EntropyBits, Tol);
        Assert.Equal(2.0, UncertaintyScore.MinEntropy(t), Tol);
        Assert.Equal(1.0, UncertaintyScore.InverseMargin(t), Tol);
    }

    [Fact]
    public void One_hot_has_zero_entropy_and_skips_zero_terms()
    {
        // 0·log 0 terms are skipped (they would be NaN), so H = −1·log2 1 = 0.
        var t = TokenStatistics.FromProbabilities([0f, 1f, 0f, 0f]);
        Assert.Equal(1.0, t.MaxProb, Tol);
        Assert.Equal(0.0, t.SecondProb, Tol);
        Assert.Equal(0.0, t.EntropyBits, Tol);
    }

    [Fact]
    public void Logits_zero_and_ln3_give_a_quarter_and_three_quarters()
    {
        // softmax([0, ln 3]) = [1, 3]/4 = [0.25, 0.75];
        // H = −(0.25·log2 0.25 + 0.75·log2 0.75) = 0.5 + 0.75·0.415037… = 0.811278… bits.
        var t = TokenStatistics.FromLogits([0f, (float)Math.Log(3)]);
        Assert.Equal(0.75, t.MaxProb, Tol);
        Assert.Equal(0.25, t.SecondProb, Tol);
        Assert.Equal(0.5 - 0.75 * Math.Log2(0.75), t.EntropyBits, Tol);
    }

    [Fact]
    public void Huge_logits_do_not_overflow()
    {
        // Shifted by the max: [1000, 1000] behaves as [0, 0] → uniform over 2 → 1 bit.
        var t = TokenStatistics.FromLogits([1000f, 1000f]);
        Assert.Equal(0.5, t.MaxProb, Tol);
        Assert.Equal(0.5, t.SecondProb, Tol);
        Assert.Equal(1.0, t.EntropyBits, Tol);
    }

    [Fact]
    public void Logits_agree_with_probabilities_of_their_softmax()
    {
        float[] logits = [2.0f, -1.0f, 0.5f, 3.25f, -7f, float.NegativeInfinity];
        var exp = logits.Select(l => Math.Exp(l - 3.25)).ToArray();
        var probs = exp.Select(e => (float)(e / exp.Sum())).ToArray();

        var fromLogits = TokenStatistics.FromLogits(logits);
        var fromProbs = TokenStatistics.FromProbabilities(probs);
        Assert.Equal(fromProbs.MaxProb, fromLogits.MaxProb, 1e-6);
        Assert.Equal(fromProbs.SecondProb, fromLogits.SecondProb, 1e-6);
        Assert.Equal(fromProbs.EntropyBits, fromLogits.EntropyBits, 1e-6);
    }

    [Fact]
    public void Bad_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TokenStatistics.FromProbabilities([]));
        Assert.Throws<ArgumentException>(() => TokenStatistics.FromLogits([]));
        Assert.Throws<ArgumentException>(() => TokenStatistics.FromLogits([0f, float.NaN]));
        Assert.Throws<ArgumentException>(() => TokenStatistics.FromLogits([float.NegativeInfinity]));
    }
}

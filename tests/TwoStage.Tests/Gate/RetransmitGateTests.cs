using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Gate;

namespace CollabVlm.TwoStage.Tests.Gate;

public sealed class RetransmitGateTests
{
    [Theory]
    [InlineData(RetransmitPolicy.Gated, 0.5, 0.5, false)] // at η the global answer is final
    [InlineData(RetransmitPolicy.Gated, 0.51, 0.5, true)]
    [InlineData(RetransmitPolicy.Never, 9.0, 0.5, false)]
    [InlineData(RetransmitPolicy.Always, 0.0, 0.5, true)]
    public void Retransmits_only_above_eta_unless_the_policy_overrides(RetransmitPolicy policy, double uncertainty, double eta, bool expected) =>
        Assert.Equal(expected, RetransmitGate.ShouldRetransmit(policy, uncertainty, eta));

    [Fact]
    public void Decide_scores_the_mean_min_entropy_of_the_answer()
    {
        // Two tokens at p = 0.5 and 0.25: H∞ = 1 and 2 bits, mean 1.5.
        var output = new ModelOutput("ab", [new TokenStat(0.5, 0.3, 1.2), new TokenStat(0.25, 0.2, 2.5)], RelevanceMap.Uniform(1, 1), 100, TimeSpan.Zero);
        var verdict = RetransmitGate.Decide(output, new UncertaintySpec(UncertaintyMeasure.MinEntropy, TokenAggregation.Mean, 3), RetransmitPolicy.Gated, 1.4);
        Assert.Equal(1.5, verdict.Uncertainty, 9);
        Assert.True(verdict.Retransmit);
    }
}

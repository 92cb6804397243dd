using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Simulation.Tests.Evaluation;

public sealed class AurocTests
{
    [Fact]
    public void A_score_that_puts_every_wrong_answer_above_every_right_one_has_area_one()
    {
        Assert.Equal(1.0, Auroc.Of([0.1, 0.2, 3.0, 4.0], [false, false, true, true]), 12);
        Assert.Equal(0.0, Auroc.Of([3.0, 4.0, 0.1, 0.2], [false, false, true, true]), 12);
    }

    [Fact]
    public void Pairs_are_counted_with_ties_as_one_half()
    {
        // Positives {2, 3}, negatives {1, 2}: pairs (2>1)=1, (2=2)=½, (3>1)=1, (3>2)=1 → 3.5 / 4.
        Assert.Equal(0.875, Auroc.Of([2, 3, 1, 2], [true, true, false, false]), 12);
        // All scores equal: no information, exactly one half.
        Assert.Equal(0.5, Auroc.Of([1, 1, 1, 1], [true, false, true, false]), 12);
    }

    [Fact]
    public void Matches_the_pairwise_definition_on_a_random_set()
    {
        var rng = new Random(3);
        var scores = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble() * 10) / 2).ToArray();
        var labels = scores.Select(s => rng.NextDouble() < s / 5).ToArray();
        double pairs = 0, wins = 0;
        for (var i = 0; i < scores.Length; i++)
            for (var j = 0; j < scores.Length; j++)
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        Assert.Equal(wins / pairs, Auroc.Of(scores, labels), 10);
    }

    [Fact]
    public void Undefined_without_both_classes_and_refuses_mismatched_input()
    {
        Assert.True(double.IsNaN(Auroc.Of([1, 2], [true, true])));
        Assert.Throws<ArgumentException>(() => Auroc.Of([1, 2], [true]));
        Assert.Throws<ArgumentException>(() => Auroc.Of([double.NaN, 2], [true, false]));
    }
}

using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>
/// Area under the ROC curve of a score for a binary outcome (here: "the global answer is wrong"),
/// computed as the Mann–Whitney statistic: the probability that a random positive scores higher
/// than a random negative, ties counting one half. 0.5 = the score says nothing; 1 = it separates perfectly.
/// </summary>
public static class Auroc
{
    /// <summary>NaN when there is no positive or no negative (the area is undefined then).</summary>
    public static double Of(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
            throw new ArgumentException($"{scores.Count} scores but {positive.Count} labels: one label per score", nameof(positive));
        if (scores.Any(double.IsNaN))
            throw new ArgumentException("a score is NaN: it cannot be ranked", nameof(scores));

        // Rank-sum with mid-ranks for ties: O(n log n) rather than comparing every pair.
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var midRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = midRank;
            start = end + 1;
        }

        long positives = positive.Count(p => p);
        long negatives = positive.Count - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        var rankSum = 0.0;
        for (var i = 0; i < ranks.Length; i++)
            if (positive[i]) rankSum += ranks[i];
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}

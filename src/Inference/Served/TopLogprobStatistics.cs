namespace CollabVlm.Inference.Served;

/// <summary>
/// Token statistics from what a served model returns per token: the log-probabilities of its k most
/// likely tokens (<c>top_logprobs</c>), not the whole distribution.
/// <list type="bullet">
/// <item>Max probability p1 (hence min-entropy H∞ = −log2 p1): exact, for any k ≥ 1.</item>
/// <item>Second probability p2: exact for k ≥ 2. For k = 1 it is unknown; the tail bound
/// min(p1, R) is reported, where R = 1 − Σ top-k is the probability mass outside the list.</item>
/// <item>Shannon entropy: bounded. The listed tokens contribute −Σ p log2 p exactly. The tail holds
/// mass R spread over tokens each no likelier than pk (the list is the top k), so each tail token
/// has −log2 q ≥ −log2 pk: the tail adds at least R·log2(1/pk) (tail made of as few tokens as
/// possible) and at most R·log2((V − k)/R) (tail uniform over the other V − k tokens). The lower
/// bound is what <see cref="TokenStat.EntropyBits"/> carries: it never overstates uncertainty, and it
/// is exact when the tail is empty.</item>
/// </list>
/// </summary>
public static class TopLogprobStatistics
{
    /// <summary>
    /// Statistics of one token. <paramref name="chosenLogprob"/> is the sampled token's log-probability
    /// (natural log); <paramref name="topLogprobs"/> the alternatives in any order (the chosen token is
    /// usually among them; when it is not, as after sampling, pass <paramref name="chosenListed"/> false
    /// and it is added). Non-finite or huge negative values (vLLM writes −9999 for −∞) count as zero
    /// probability.
    /// </summary>
    public static TokenStat FromTopLogprobs(double chosenLogprob, IReadOnlyList<double> topLogprobs, bool chosenListed = true) =>
        Bounds(chosenLogprob, topLogprobs, chosenListed, vocabularySize: null).Stat;

    /// <summary>The statistics plus the tail mass and both entropy bounds (for tests and the documentation's claims).</summary>
    public static TopLogprobBounds Bounds(double chosenLogprob, IReadOnlyList<double> topLogprobs, bool chosenListed, int? vocabularySize)
    {
        var probs = new List<double>(topLogprobs.Count + 1);
        foreach (var l in topLogprobs) probs.Add(Probability(l));
        if (!chosenListed || probs.Count == 0) probs.Add(Probability(chosenLogprob));
        probs.Sort((a, b) => b.CompareTo(a));

        // Servers round log-probs; the listed mass can exceed 1 by a hair. Renormalizing would change
        // p1 (the one exact figure), so the surplus is only clipped out of the tail.
        var listed = probs.Sum();
        var tail = Math.Max(0, 1 - listed);
        var p1 = probs[0];
        var p2 = probs.Count >= 2 ? probs[1] : Math.Min(p1, tail);
        var known = 0.0;
        foreach (var p in probs)
            if (p > 0) known -= p * Math.Log2(p);
        var smallest = probs[^1];
        var lower = known + (tail > 0 && smallest > 0 ? tail * -Math.Log2(Math.Min(1, smallest)) : 0);
        double? upper = vocabularySize is not { } v ? null
            : tail > 0 && v > probs.Count ? known + tail * Math.Log2((v - probs.Count) / tail)
            : known;
        return new TopLogprobBounds(new TokenStat(p1, p2, Math.Max(lower, 0)), tail, Math.Max(lower, 0), upper is { } u ? Math.Max(u, lower) : null, probs.Count);
    }

    private static double Probability(double logprob) =>
        double.IsFinite(logprob) && logprob > -700 ? Math.Min(1, Math.Exp(Math.Min(logprob, 0))) : 0;
}

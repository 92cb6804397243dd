namespace CollabVlm.Inference;

/// <summary>
/// Builds a <see cref="TokenStat"/> from one step's distribution. Sums run in double precision:
/// with a 6625-class recognizer (or a 150k-token VLM vocabulary) float accumulation of many tiny
/// terms loses the bits that separate a sure token from a nearly sure one.
/// </summary>
public static class TokenStatistics
{
    /// <summary>
    /// Top-2 probabilities and Shannon entropy (bits) of an already normalized distribution.
    /// Terms with p ≤ 0 are skipped (0·log 0 = 0 by continuity; negatives are noise, not mass).
    /// </summary>
    public static TokenStat FromProbabilities(ReadOnlySpan<float> probs)
    {
        if (probs.IsEmpty)
            throw new ArgumentException("a token distribution needs at least one probability", nameof(probs));

        double first = double.NegativeInfinity, second = double.NegativeInfinity, entropy = 0;
        foreach (var f in probs)
        {
            double p = f;
            Track(p, ref first, ref second);
            if (p > 0)
                entropy -= p * Math.Log2(p);
        }
        // Max with 0: a span of only NaN/negative values leaves no positive top-1 (scored as maximally uncertain).
        return new TokenStat(Math.Max(first, 0), Math.Max(second, 0), entropy);
    }

    /// <summary>
    /// Softmax of raw logits (max subtracted first so exp never overflows), then the same statistics.
    /// Computed straight from the logits without materializing the distribution:
    /// with m = max logit, Z = Σ exp(l − m), p_i = exp(l_i − m)/Z and
    /// H = log2 Z − Σ p_i (l_i − m)/ln 2, which avoids log2 of underflowed tiny p.
    /// </summary>
    public static TokenStat FromLogits(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
            throw new ArgumentException("a token distribution needs at least one logit", nameof(logits));

        double max = double.NegativeInfinity, secondLogit = double.NegativeInfinity;
        foreach (var l in logits)
        {
            if (float.IsNaN(l))
                throw new ArgumentException("logits contain NaN: the model's output is corrupt", nameof(logits));
            Track(l, ref max, ref secondLogit);
        }
        if (double.IsNegativeInfinity(max))
            throw new ArgumentException("every logit is −∞: no class has any probability", nameof(logits));

        double z = 0, weightedShift = 0;
        foreach (var l in logits)
        {
            var shifted = l - max;
            var e = Math.Exp(shifted);
            z += e;
            // exp(−∞)·(−∞) is NaN; such a class has zero probability and adds nothing.
            if (e > 0)
                weightedShift += e * shifted;
        }

        var entropyBits = (Math.Log(z) - weightedShift / z) / Math.Log(2);
        var firstProb = 1.0 / z;
        var secondProb = double.IsNegativeInfinity(secondLogit) ? 0 : Math.Exp(secondLogit - max) / z;
        // Rounding can leave a one-hot distribution a hair below zero entropy.
        return new TokenStat(firstProb, secondProb, Math.Max(entropyBits, 0));
    }

    private static void Track(double value, ref double first, ref double second)
    {
        if (value > first)
        {
            second = first;
            first = value;
        }
        else if (value > second)
        {
            second = value;
        }
    }
}

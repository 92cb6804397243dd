namespace CollabVlm.Inference;

/// <summary>
/// Turns per-token probability statistics into the one number the gate compares with η
/// (docs/architecture.md, "Uncertainty"). All measures are "higher = less sure"; entropies are in bits.
/// </summary>
public static class UncertaintyScore
{
    /// <summary>
    /// H∞ = −log2 p1. A top probability ≤ 0 (or NaN) means the statistics are corrupt, not that the
    /// model is sure, so it scores +∞ here; <see cref="Score"/> then caps it at the vocabulary's
    /// maximum, which only it knows.
    /// </summary>
    public static double MinEntropy(TokenStat t) => t.MaxProb > 0 ? -Math.Log2(t.MaxProb) : double.PositiveInfinity;

    /// <summary>H = −Σ p log2 p, as the model reported it.</summary>
    public static double Shannon(TokenStat t) => t.EntropyBits;

    /// <summary>1 − (p1 − p2): 0 when one class takes everything, 1 when the top two tie.</summary>
    public static double InverseMargin(TokenStat t) => 1.0 - (t.MaxProb - t.SecondProb);

    public static double PerToken(TokenStat t, UncertaintyMeasure measure) => measure switch
    {
        UncertaintyMeasure.MinEntropy => MinEntropy(t),
        UncertaintyMeasure.Shannon => Shannon(t),
        UncertaintyMeasure.Margin => InverseMargin(t),
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "unknown uncertainty measure"),
    };

    /// <summary>
    /// The largest value a measure can take over a vocabulary: both entropies peak at log2(V) bits
    /// (uniform distribution), the inverse margin at 1 (top two tied).
    /// </summary>
    public static double Maximum(UncertaintyMeasure measure, int vocabularySize)
    {
        if (vocabularySize < 1)
            throw new ArgumentException($"vocabulary size must be at least 1, got {vocabularySize}", nameof(vocabularySize));
        return measure switch
        {
            UncertaintyMeasure.MinEntropy or UncertaintyMeasure.Shannon => Math.Log2(vocabularySize),
            UncertaintyMeasure.Margin => 1.0,
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "unknown uncertainty measure"),
        };
    }

    /// <summary>
    /// Aggregates the per-token measure over the answer. An empty answer is maximally uncertain
    /// (the model said nothing it is sure of), so it scores <see cref="Maximum"/> and always
    /// triggers retransmission at any sensible η.
    /// </summary>
    public static double Score(IReadOnlyList<TokenStat> tokens, UncertaintySpec spec, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(spec);
        var maximum = Maximum(spec.Measure, vocabularySize);
        if (tokens.Count == 0)
            return maximum;

        var count = spec.Aggregation switch
        {
            TokenAggregation.Mean => tokens.Count,
            TokenAggregation.First => 1,
            TokenAggregation.MeanOfFirstK when spec.K >= 1 => Math.Min(spec.K, tokens.Count),
            TokenAggregation.MeanOfFirstK => throw new ArgumentException($"MeanOfFirstK needs K ≥ 1, got {spec.K}", nameof(spec)),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Aggregation, "unknown token aggregation"),
        };

        var sum = 0.0;
        for (var i = 0; i < count; i++)
            sum += Capped(PerToken(tokens[i], spec.Measure), maximum);
        return sum / count;
    }

    // A per-token value above the maximum (a zero top probability) or NaN (corrupt logits) must not
    // sink or poison the mean: NaN compares false with η and would silently accept the answer. Both
    // count as maximally uncertain, the same as an empty answer.
    private static double Capped(double value, double maximum) =>
        double.IsNaN(value) || value > maximum ? maximum : value;
}

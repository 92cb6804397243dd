namespace CollabVlm.Inference;

/// <summary>How per-token uncertainties become one score for the answer.</summary>
public enum TokenAggregation
{
    /// <summary>Mean over all tokens (the paper's default).</summary>
    Mean,
    /// <summary>The first token only.</summary>
    First,
    /// <summary>Mean of the first k tokens.</summary>
    MeanOfFirstK,
}

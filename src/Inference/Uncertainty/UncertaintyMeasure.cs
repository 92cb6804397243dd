namespace CollabVlm.Inference;

/// <summary>Per-token uncertainty measure. All are "higher = less sure".</summary>
public enum UncertaintyMeasure
{
    /// <summary>H∞ = −log2 p1, in bits (the paper's gate).</summary>
    MinEntropy,
    /// <summary>H = −Σ p log2 p, in bits.</summary>
    Shannon,
    /// <summary>1 − (p1 − p2): the top-2 margin turned so that higher means less sure.</summary>
    Margin,
}

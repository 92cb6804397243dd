namespace CollabVlm.Inference;

/// <summary>
/// Probability statistics of one generated token: the two largest probabilities of its
/// distribution and its Shannon entropy in bits.
/// </summary>
public readonly record struct TokenStat(double MaxProb, double SecondProb, double EntropyBits);

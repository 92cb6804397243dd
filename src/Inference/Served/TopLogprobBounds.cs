namespace CollabVlm.Inference.Served;

/// <summary>
/// One token's statistics from its top-k list with what is known of the rest: <paramref name="TailMass"/>
/// is the probability outside the list, the entropy lies between the two bounds (the upper one needs
/// the vocabulary size), <paramref name="Listed"/> is k.
/// </summary>
public readonly record struct TopLogprobBounds(TokenStat Stat, double TailMass, double EntropyLowerBits, double? EntropyUpperBits, int Listed);

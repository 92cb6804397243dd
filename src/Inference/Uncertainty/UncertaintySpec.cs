namespace CollabVlm.Inference;

/// <summary>A measure and an aggregation: what the gate compares with η.</summary>
public sealed record UncertaintySpec(UncertaintyMeasure Measure = UncertaintyMeasure.MinEntropy, TokenAggregation Aggregation = TokenAggregation.Mean, int K = 3)
{
    public static UncertaintySpec Default { get; } = new();

    public override string ToString() => Aggregation == TokenAggregation.MeanOfFirstK ? $"{Measure}/{Aggregation}({K})" : $"{Measure}/{Aggregation}";
}

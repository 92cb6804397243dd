namespace CollabVlm.Actors.Server;

/// <summary>How long the local stage's parts took, in milliseconds (0 when a part did not happen).</summary>
public sealed record LocalTimings(double RoiToFirstChunkMs, double TransferMs, double RefinedInferenceMs)
{
    public static LocalTimings None { get; } = new(0, 0, 0);
}

namespace CollabVlm.Messages;

/// <summary>Server-side time spent per stage of one query, in milliseconds (0 when a stage did not run).</summary>
public sealed record StageTimings(
    double GlobalInferenceMs,
    double RoiToFirstChunkMs,
    double LocalTransferMs,
    double RefinedInferenceMs,
    double ServerTotalMs)
{
    public static StageTimings Zero { get; } = new(0, 0, 0, 0, 0);
}

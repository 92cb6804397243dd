namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Every question of a chaos run, accounted for. A question is <b>lost</b> when it was asked and no outcome came back
/// (no <c>ended</c> line, or the device itself never replied); every other asked question is answered or failed
/// exactly once, and any further outcome for it is a duplicate. Latencies are the edge's end-to-end times, ms.
/// </summary>
public sealed record ChaosTally(
    int Expected, int Asked, int Answered, int Failed, int Lost, int Duplicates,
    IReadOnlyDictionary<string, int> AnsweredByStage, IReadOnlyDictionary<string, int> FailedByReason,
    int LostWithoutLine, int LostDeviceSilent, int EndedWithoutAsk,
    double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms, double LatencyMaxMs,
    IReadOnlyList<TimelineSecond> Timeline, IReadOnlyList<string> LostQuestions)
{
    /// <summary>Questions the cameras were meant to ask but did not (their edge was down or the run was cut short).</summary>
    public int NotAsked => Math.Max(0, Expected - Asked);

    public double AnsweredShare => Asked == 0 ? 0 : (double)Answered / Asked;
}

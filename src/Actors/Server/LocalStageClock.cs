using System.Diagnostics;

namespace CollabVlm.Actors.Server;

/// <summary>When the local stage's parts started and ended, for the answer's timings.</summary>
public sealed class LocalStageClock
{
    private long _regionRequestedAt;
    private long _streamEndedAt;
    private long _refineStartedAt;
    private double _refinedMs;

    public void RegionRequested() => _regionRequestedAt = Stopwatch.GetTimestamp();

    public void StreamEnded() => _streamEndedAt = Stopwatch.GetTimestamp();

    public void RefinedPassStarted() => _refineStartedAt = Stopwatch.GetTimestamp();

    public void RefinedPassDone() => _refinedMs = Stopwatch.GetElapsedTime(_refineStartedAt).TotalMilliseconds;

    /// <param name="firstChunkAt"><see cref="Stopwatch.GetTimestamp"/> of the local image's first chunk; 0 when none came.</param>
    public LocalTimings Timings(long firstChunkAt) => new(
        firstChunkAt > 0 ? Ms(_regionRequestedAt, firstChunkAt) : 0,
        firstChunkAt > 0 && _streamEndedAt > 0 ? Ms(firstChunkAt, _streamEndedAt) : 0,
        _refinedMs);

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}

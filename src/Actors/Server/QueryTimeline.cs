using System.Diagnostics;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>When each stage of one query started and ended on the server, for the answer's <see cref="StageTimings"/>.</summary>
public sealed class QueryTimeline
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private double _globalMs;
    private long _regionRequestedAt;
    private long _streamEndedAt;
    private long _refineStartedAt;
    private double _refinedMs;

    public void GlobalPassDone() => _globalMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    public void RegionRequested() => _regionRequestedAt = Stopwatch.GetTimestamp();

    public void StreamEnded() => _streamEndedAt = Stopwatch.GetTimestamp();

    public void RefinedPassStarted() => _refineStartedAt = Stopwatch.GetTimestamp();

    public void RefinedPassDone() => _refinedMs = Stopwatch.GetElapsedTime(_refineStartedAt).TotalMilliseconds;

    /// <param name="firstChunkAt"><see cref="Stopwatch.GetTimestamp"/> of the local image's first chunk; 0 when none came.</param>
    /// <param name="refined">Whether the answer is a refined pass's (otherwise its time is not reported).</param>
    public StageTimings Timings(long firstChunkAt, bool refined)
    {
        var firstChunkMs = firstChunkAt > 0 ? Ms(_regionRequestedAt, firstChunkAt) : 0;
        var transferMs = firstChunkAt > 0 && _streamEndedAt > 0 ? Ms(firstChunkAt, _streamEndedAt) : 0;
        return new StageTimings(_globalMs, firstChunkMs, transferMs, refined ? _refinedMs : 0, Stopwatch.GetElapsedTime(_started).TotalMilliseconds);
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}

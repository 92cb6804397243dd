using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>Turns one phase's readings into a <see cref="LinkPhase"/> (plain: no processes, no clock).</summary>
public static class LinkPhaseAnalysis
{
    /// <summary>
    /// A counter interval counts as "uploading" when the edge sent at least this share of what the link could carry in
    /// it. Cluster heartbeats and gossip (a few hundred bytes a second) stay far below; an upload's first and last
    /// intervals, partly idle, mostly stay above, so the figure errs low rather than high.
    /// </summary>
    public const double UploadingShare = 0.2;

    /// <param name="startMs">Unix ms the phase began (the rate was set); <paramref name="endMs"/> when it ended.</param>
    /// <param name="target">The error within which the estimate counts as arrived, for <see cref="LinkPhase.SecondsToTarget"/>.</param>
    public static LinkPhase Analyse(int step, bool afterDrop, long shapedBitsPerSecond, long startMs, long endMs,
        IReadOnlyList<EstimateReading> estimates, IReadOnlyList<CounterReading> counters, IReadOnlyList<OutcomeLine> outcomes, double target)
    {
        if (endMs <= startMs) throw new ArgumentException($"a phase must end after it starts ({startMs} → {endMs} ms)", nameof(endMs));
        var shapedBytes = shapedBitsPerSecond / 8.0;
        // Confidence 0 is the edge's prior (nothing observed yet), not an estimate.
        var inPhase = estimates.Where(e => e.AtMs >= startMs && e.AtMs <= endMs && e.Confidence > 0).ToList();
        var lastHalf = inPhase.Where(e => e.AtMs >= startMs + (endMs - startMs) / 2).ToList();
        var estimate = Median(lastHalf.Select(e => e.BytesPerSecond));
        var arrived = inPhase.FirstOrDefault(e => e.BytesPerSecond is { } b && Math.Abs(b - shapedBytes) <= target * shapedBytes);
        var (utilization, uploading, sent) = Utilization(shapedBytes, startMs, endMs, counters);
        var ended = outcomes.Where(o => o.Event == OutcomeLine.Ended && o.AtMs >= startMs && o.AtMs < endMs).ToList();
        return new LinkPhase(step, afterDrop, shapedBitsPerSecond, (endMs - startMs) / 1000.0,
            estimate * 8, estimate is { } e ? (e - shapedBytes) / shapedBytes : null,
            arrived.BytesPerSecond is null ? null : (arrived.AtMs - startMs) / 1000.0,
            Median(lastHalf.Select(r => r.RoundTripSeconds)) * 1000, Median(lastHalf.Select(r => r.Confidence)),
            utilization, uploading, sent,
            outcomes.Count(o => o.Event == OutcomeLine.Asked && o.AtMs >= startMs && o.AtMs < endMs),
            ended.Count(o => o.Stage == "Refined"), ended.Count(o => o.Outcome == OutcomeLine.Failed));
    }

    /// <summary>Bytes sent in the phase's uploading intervals over what the link could have carried in them; those intervals' length; all bytes sent.</summary>
    public static (double? Utilization, double UploadingSeconds, long SentBytes) Utilization(double shapedBytesPerSecond, long startMs, long endMs, IReadOnlyList<CounterReading> counters)
    {
        var inPhase = counters.Where(c => c.AtMs >= startMs && c.AtMs <= endMs).OrderBy(c => c.AtMs).ToList();
        var (busyBytes, busySeconds, sent) = (0L, 0.0, 0L);
        for (var i = 1; i < inPhase.Count; i++)
        {
            var seconds = (inPhase[i].AtMs - inPhase[i - 1].AtMs) / 1000.0;
            // A restarted counter (new namespace device) would read negative: that interval tells nothing.
            var bytes = inPhase[i].TxBytes - inPhase[i - 1].TxBytes;
            if (seconds <= 0 || bytes < 0) continue;
            sent += bytes;
            if (bytes < UploadingShare * shapedBytesPerSecond * seconds) continue;
            busyBytes += bytes;
            busySeconds += seconds;
        }
        return (busySeconds > 0 ? busyBytes / (busySeconds * shapedBytesPerSecond) : null, busySeconds, sent);
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

using System.Diagnostics;

namespace CollabVlm.Bench.Throughput;

/// <summary>
/// A closed loop: <c>askers</c> callers, each starting its next call as soon as its last one ended, for a fixed time.
/// The queries per second it reaches are what the system under test carries with that many callers waiting on it,
/// and the latency is what each caller saw (queueing included).
/// </summary>
public static class ClosedLoop
{
    /// <param name="call">One call; its argument numbers the calls, so callers cycle through the frames.</param>
    public static async Task<ThroughputFigures> RunAsync(string name, int askers, TimeSpan duration, Func<int, CancellationToken, Task<bool>> call,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(askers, 1);
        var latencies = new List<double>();
        var failed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, askers).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                var ok = await call(Interlocked.Increment(ref next), cancellationToken);
                lock (latencies)
                {
                    if (ok) latencies.Add((clock.Elapsed - started).TotalSeconds);
                    else failed++;
                }
            }
        }));
        // Calls that began before the end are counted whole; the loop's own time is when the last one ended.
        return ThroughputFigures.From(name, askers, latencies, failed, clock.Elapsed);
    }
}

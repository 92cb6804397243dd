using CollabVlm.Bench.Throughput;

namespace CollabVlm.Bench.Tests.Throughput;

public sealed class ClosedLoopTests
{
    [Fact]
    public async Task Every_asker_asks_again_once_answered_and_each_call_is_counted_once()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        var inFlight = 0;
        var most = 0;
        var figures = await ClosedLoop.RunAsync("fake", askers: 3, TimeSpan.FromMilliseconds(300), async (i, token) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            seen.Add(i);
            await Task.Delay(10, token);
            Interlocked.Decrement(ref inFlight);
            return i % 4 != 3; // every fourth call fails
        }, CancellationToken.None);

        Assert.InRange(most, 1, 3); // never more callers than askers
        Assert.Equal(seen.Count, figures.Answered + figures.Failed);
        Assert.Equal(Enumerable.Range(0, seen.Count), seen.Order()); // numbered without gaps or repeats
        Assert.Equal(seen.Count(i => i % 4 == 3), figures.Failed);
        Assert.True(figures.PerSecond > 0);
        Assert.True(figures.P50 <= figures.P95);
    }

    [Fact]
    public void Figures_of_a_loop_that_answered_nothing_have_no_latency()
    {
        var figures = ThroughputFigures.From("none", 2, [], failed: 5, TimeSpan.FromSeconds(10));
        Assert.Equal((0, 5, 0.0), (figures.Answered, figures.Failed, figures.PerSecond));
        Assert.True(double.IsNaN(figures.P50));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}

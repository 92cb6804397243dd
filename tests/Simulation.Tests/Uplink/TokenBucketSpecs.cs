using CollabVlm.Actors.Edge.Link;
using CollabVlm.Simulation.Uplink;
using Xunit;

namespace CollabVlm.Simulation.Tests.Uplink;

/// <summary>The bucket's schedule on a hand-driven clock: exact, no timers involved.</summary>
public sealed class TokenBucketSpecs
{
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private readonly ManualTime _time = new();

    private static void Near(double expectedSeconds, TimeSpan actual) => Assert.InRange(actual.TotalSeconds, expectedSeconds - 1e-6, expectedSeconds + 1e-6);

    [Fact]
    public void The_burst_leaves_at_once_and_the_rest_at_the_rate()
    {
        var bucket = new TokenBucket(bytesPerSecond: 1_000, burstBytes: 500, _time);
        Near(0, bucket.Reserve(500));
        Near(0.1, bucket.Reserve(100));
        Near(0.3, bucket.Reserve(200)); // queued behind the first: FIFO share of the rate
        _time.Advance(TimeSpan.FromSeconds(0.3));
        Near(0, bucket.Reserve(0));
    }

    [Fact]
    public void Idle_time_refills_no_more_than_the_burst()
    {
        var bucket = new TokenBucket(1_000, 500, _time);
        bucket.Reserve(500);
        _time.Advance(TimeSpan.FromSeconds(60));
        Near(0, bucket.Reserve(500));
        Near(0.001, bucket.Reserve(1));
    }

    [Fact]
    public void An_element_larger_than_the_burst_waits_for_all_its_tokens()
    {
        var bucket = new TokenBucket(1_000, 100, _time);
        Near(1.9, bucket.Reserve(2_000));
    }

    [Fact]
    public void Bytes_granted_over_time_follow_rate_and_burst()
    {
        // 1 kB elements offered as fast as granted: after t seconds, burst + rate × t have gone.
        var bucket = new TokenBucket(10_000, 4_000, _time);
        long granted = 0;
        for (var step = 0; step < 100; step++)
        {
            while (bucket.Reserve(1_000) == TimeSpan.Zero) granted += 1_000;
            bucket.Refund(1_000); // that one did not go: give its tokens back
            var elapsed = step * 0.05;
            Assert.InRange(granted, 4_000 + 10_000 * elapsed - 1_000, 4_000 + 10_000 * elapsed);
            _time.Advance(TimeSpan.FromSeconds(0.05));
        }
    }

    [Fact]
    public void A_rate_change_applies_to_what_is_still_owed()
    {
        var bucket = new TokenBucket(1_000, 100, _time);
        bucket.Reserve(1_100); // 1 s of debt at 1 kB/s
        bucket.ChangeRate(250);
        Near(4.4, bucket.Reserve(100)); // 1 000 owed + 100 new at 250 B/s
        Assert.Equal(250, bucket.BytesPerSecond);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(0, 100, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(100, 0, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(100, 100, _time).Reserve(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(100, 100, _time).ChangeRate(double.NaN));
    }
}

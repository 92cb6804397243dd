using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Simulation.Uplink;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CollabVlm.Simulation.Tests.Uplink;

/// <summary>
/// The shaper on real streams and real timers, asserting only what a stalled CPU cannot break: nothing arrives
/// early (a stall only delays), the delays overlap (some arrivals closer together than one delay, which a shaper
/// adding the delays up can never produce), and bounded buffers. Where an upper bound on a wait is the point,
/// the shaper runs on a <see cref="FakeTimeProvider"/> the test moves by hand.
/// </summary>
public sealed class UplinkShaperSpecs : TestKit
{
    private static UplinkSettings Link(long bitsPerSecond, int burst, int delayMs, int inFlight = 32) => new()
    {
        Enabled = true,
        BitsPerSecond = bitsPerSecond,
        BurstBytes = burst,
        OneWayDelay = TimeSpan.FromMilliseconds(delayMs),
        MaxElementsInFlight = inFlight,
    };

    private async Task<List<(long Bytes, double Seconds)>> Arrivals(UplinkShaper shaper, int elements, int size)
    {
        var clock = Stopwatch.StartNew();
        var arrivals = await Source.From(Enumerable.Range(0, elements))
            .Select(_ => new byte[size])
            .Via(shaper.Shape<byte[]>(chunk => chunk.Length))
            .Select(chunk => ((long)chunk.Length, clock.Elapsed.TotalSeconds))
            .RunWith(Sink.Seq<(long, double)>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(20));
        return arrivals.ToList();
    }

    [Fact]
    public async Task Bytes_delivered_over_time_follow_rate_and_burst()
    {
        const double rate = 100_000; // 800 kbit/s
        const int burst = 4_000;
        var arrivals = await Arrivals(new UplinkShaper(Link(800_000, burst, 0)), elements: 30, size: 2_000);

        long delivered = 0;
        foreach (var (bytes, seconds) in arrivals)
        {
            delivered += bytes;
            var due = Math.Max(0, (delivered - burst) / rate);
            Assert.True(seconds >= due - 0.005, $"{delivered} B arrived at {seconds:0.000} s, before {due:0.000} s");
        }
        Assert.Equal(30, arrivals.Count); // a stuck shaper fails the stream's timeout instead
    }

    [Fact]
    public async Task Everything_one_node_sends_shares_one_rate()
    {
        // Two streams and a single message, 40 kB each, through one 100 kB/s bucket: together they need 1.2 s.
        var shaper = new UplinkShaper(Link(800_000, 2_000, 0));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Arrivals(shaper, elements: 20, size: 2_000), Arrivals(shaper, elements: 20, size: 2_000),
            shaper.WaitToSendAsync(40_000, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(clock.Elapsed.TotalSeconds >= 1.17, $"120 kB at 100 kB/s took only {clock.Elapsed.TotalSeconds:0.000} s");
        Assert.Equal(120_000, shaper.BytesSent);
    }

    [Fact]
    public async Task The_delay_pipelines_instead_of_adding_up()
    {
        // 20 × 1 kB at 100 kB/s behind 200 ms: about 0.2 + 19 × 0.01 s; one delay per element would be 4 s.
        var arrivals = await Arrivals(new UplinkShaper(Link(800_000, 1_000, 200)), elements: 20, size: 1_000);

        Assert.True(arrivals[0].Seconds >= 0.195, $"first element after {arrivals[0].Seconds:0.000} s, before the one-way delay");
        Assert.True(arrivals[^1].Seconds >= 0.38, $"last element after {arrivals[^1].Seconds:0.000} s, faster than the rate allows");
        // Delays that added up would space every arrival at least 200 ms from the one before (a stall only widens
        // gaps until the held elements leave together); overlapping ones release some within a few milliseconds.
        var closest = arrivals.Zip(arrivals.Skip(1), (a, b) => b.Seconds - a.Seconds).Min();
        Assert.True(closest < 0.195, $"consecutive arrivals at least {closest:0.000} s apart: the delays did not overlap");
    }

    [Fact]
    public async Task A_slow_consumer_back_pressures_instead_of_filling_a_buffer()
    {
        const int inFlight = 8;
        var shaper = new UplinkShaper(Link(80_000_000, 1_000_000, 50, inFlight));
        long produced = 0, consumed = 0, worstBacklog = 0;

        await Source.From(Enumerable.Range(0, int.MaxValue))
            .Select(i => { Interlocked.Increment(ref produced); return new byte[100]; })
            .Via(shaper.Shape<byte[]>(chunk => chunk.Length))
            .Take(40)
            .SelectAsync(1, async chunk =>
            {
                await Task.Delay(15);
                var consumedNow = Interlocked.Increment(ref consumed);
                worstBacklog = Math.Max(worstBacklog, Interlocked.Read(ref produced) - consumedNow);
                return chunk;
            })
            .RunWith(Sink.Ignore<byte[]>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(20));

        // The producer could make millions of elements in that time; only the delay line (8), the
        // token stage (1) and the consumer (1) may hold any.
        Assert.InRange(worstBacklog, 1, inFlight + 4);
    }

    [Fact]
    public async Task A_single_message_waits_for_its_tokens_and_the_delay()
    {
        var time = new FakeTimeProvider();
        var shaper = new UplinkShaper(Link(800_000, 1_000, 100), time); // 100 kB/s
        var send = shaper.WaitToSendAsync(10_000, CancellationToken.None);

        // 9 000 B beyond the burst at 100 kB/s, then 100 ms on the wire: due at 0.19 s of the fake clock, not before.
        time.Advance(TimeSpan.FromMilliseconds(189));
        Assert.False(send.IsCompleted, "sent before its tokens and the one-way delay");
        time.Advance(TimeSpan.FromMilliseconds(1));
        await send.WaitAsync(TimeSpan.FromSeconds(10)); // due now: only the continuation is left to run
        Assert.Equal(10_000, shaper.BytesSent);
    }

    [Fact]
    public async Task A_cancelled_send_gives_its_tokens_back()
    {
        var time = new FakeTimeProvider();
        var shaper = new UplinkShaper(Link(80_000, 1_000, 0), time); // 10 kB/s, 1 kB burst
        using var cancel = new CancellationTokenSource();
        var cancelled = shaper.WaitToSendAsync(50_000, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        // Refunded, the 500 B fit the burst and go at once with the clock standing still; had the 50 kB stayed
        // reserved they would wait about 5 s of it, and the fake clock never gets there.
        await shaper.WaitToSendAsync(500, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(500, shaper.BytesSent);
    }

    [Fact]
    public async Task A_rate_change_slows_the_stream_down()
    {
        var shaper = new UplinkShaper(Link(8_000_000, 1_000, 0)); // 1 MB/s
        shaper.ChangeRate(800_000); // 100 kB/s
        var arrivals = await Arrivals(shaper, elements: 10, size: 5_000);
        Assert.True(arrivals[^1].Seconds >= 0.48, $"50 kB at 100 kB/s took only {arrivals[^1].Seconds:0.000} s");
        Assert.Equal(100_000, shaper.BytesPerSecond);
    }

    [Fact]
    public void Shaping_is_off_unless_enabled()
    {
        Assert.Null(UplinkShaper.Create(new UplinkSettings()));
        Assert.NotNull(UplinkShaper.Create(new UplinkSettings { Enabled = true }));
    }

    [Theory]
    [InlineData(0L, 4096, 25, 32, "Uplink:BitsPerSecond")]
    [InlineData(1_000_000L, 0, 25, 32, "Uplink:BurstBytes")]
    [InlineData(1_000_000L, 4096, -1, 32, "Uplink:OneWayDelay")]
    [InlineData(1_000_000L, 4096, 25, 0, "Uplink:MaxElementsInFlight")]
    public void Invalid_settings_are_refused_naming_the_key(long bitsPerSecond, int burst, int delayMs, int inFlight, string key)
    {
        var settings = Link(bitsPerSecond, burst, delayMs, inFlight);
        Assert.Contains(key, settings.Validate());
        Assert.Contains(key, Assert.Throws<ArgumentException>(() => UplinkShaper.Create(settings)).Message);
    }
}

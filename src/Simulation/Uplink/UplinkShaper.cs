using Akka;
using Akka.Streams.Dsl;
using CollabVlm.Actors.Edge;

namespace CollabVlm.Simulation.Uplink;

/// <summary>
/// The emulated uplink of one edge node (<see cref="UplinkSettings"/>): a token bucket shared by
/// everything the node sends, plus a one-way delay. It shapes the real byte flow — stream elements
/// are held until their tokens are earned and then for the delay, single messages are sent only
/// after <see cref="WaitToSendAsync"/> — so what the server sees, and what the edge's estimator
/// measures, is the shaped link. Thread-safe; one instance per edge node.
/// </summary>
public sealed class UplinkShaper : IUplink
{
    private readonly TokenBucket _bucket;
    private readonly TimeProvider _time;
    private readonly int _maxElementsInFlight;
    private long _bytesSent;

    public UplinkShaper(UplinkSettings settings, TimeProvider? time = null)
    {
        if (settings.Validate() is { } problem) throw new ArgumentException(problem, nameof(settings));
        _time = time ?? TimeProvider.System;
        _bucket = new TokenBucket(settings.BytesPerSecond, settings.BurstBytes, _time);
        OneWayDelay = settings.OneWayDelay;
        _maxElementsInFlight = settings.MaxElementsInFlight;
    }

    /// <summary>The shaper for an edge node, or null when shaping is off (production).</summary>
    public static UplinkShaper? Create(UplinkSettings settings, TimeProvider? time = null) =>
        settings.Enabled ? new UplinkShaper(settings, time) : null;

    public TimeSpan OneWayDelay { get; }

    public double BytesPerSecond => _bucket.BytesPerSecond;

    /// <summary>Bytes granted so far (stream elements and single messages), for link-utilisation figures.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Emulates a change of the link's rate (benchmarks, step tests); takes effect for bytes not yet granted.</summary>
    public void ChangeRate(long bitsPerSecond)
    {
        if (bitsPerSecond < 8_000) throw new ArgumentOutOfRangeException(nameof(bitsPerSecond), bitsPerSecond, "Uplink rate must be ≥ 8000 bit/s");
        _bucket.ChangeRate(bitsPerSecond / 8.0);
    }

    /// <summary>
    /// Returns when <paramref name="bytes"/> sent now would have arrived: after their tokens and the
    /// one-way delay. The caller sends the message (e.g. the global image with <c>Tell</c>) right
    /// after. Cancelled before its tokens were earned, the bytes count as never sent.
    /// </summary>
    public async Task WaitToSendAsync(int bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var started = _time.GetTimestamp();
        var wait = _bucket.Reserve(bytes);
        try
        {
            await Task.Delay(wait + OneWayDelay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (_time.GetElapsedTime(started) < wait) _bucket.Refund(bytes);
            throw;
        }
        Interlocked.Add(ref _bytesSent, bytes);
    }

    /// <summary>
    /// A stage for the chunks an edge pushes into a server's SinkRef. Each element first waits for
    /// its tokens (one at a time, so the elements share the rate in order and an element whose
    /// downstream has no demand takes no tokens), then enters a delay line that releases it one-way
    /// delay later. The delay line holds at most <see cref="UplinkSettings.MaxElementsInFlight"/>
    /// elements, so latency pipelines (N elements take delay + N × size / rate, not N × delay) and a
    /// slow consumer back-pressures the producer instead of growing a buffer.
    /// </summary>
    public Flow<T, T, NotUsed> Shape<T>(Func<T, int> bytesOf)
    {
        ArgumentNullException.ThrowIfNull(bytesOf);
        var tokens = Flow.Create<T>().SelectAsync(1, async element =>
        {
            var bytes = bytesOf(element);
            if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytesOf), bytes, "an element cannot have a negative size");
            var wait = _bucket.Reserve(bytes);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time).ConfigureAwait(false);
            Interlocked.Add(ref _bytesSent, bytes);
            return (Element: element, GrantedAt: _time.GetTimestamp());
        });
        if (OneWayDelay == TimeSpan.Zero) return tokens.Select(granted => granted.Element);

        // Ordered, so elements leave in the order they were granted; each waits only for what is left
        // of its own delay, measured from its grant, so the delays overlap.
        return tokens.SelectAsync(_maxElementsInFlight, async granted =>
        {
            var left = OneWayDelay - _time.GetElapsedTime(granted.GrantedAt);
            if (left > TimeSpan.Zero) await Task.Delay(left, _time).ConfigureAwait(false);
            return granted.Element;
        });
    }
}

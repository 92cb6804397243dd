namespace CollabVlm.Simulation.Uplink;

/// <summary>
/// Thread-safe token bucket that hands out send times rather than blocking: <see cref="Reserve"/>
/// takes the tokens at once (the level may go negative, a debt repaid at the rate) and says how long
/// the caller must wait until they were actually earned. Reserving in call order makes the callers
/// share the rate FIFO, an element larger than the burst still passes, and a late waiter does not
/// slow the next one: the schedule is computed from the clock, so timer lateness never accumulates.
/// </summary>
public sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly double _burst;
    private double _bytesPerSecond;
    private double _tokens;
    private long _stamp;

    public TokenBucket(double bytesPerSecond, long burstBytes, TimeProvider? time = null)
    {
        if (!(bytesPerSecond > 0) || double.IsInfinity(bytesPerSecond)) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "rate must be a finite number of bytes per second > 0");
        if (burstBytes < 1) throw new ArgumentOutOfRangeException(nameof(burstBytes), burstBytes, "burst must be ≥ 1 byte");
        _time = time ?? TimeProvider.System;
        _bytesPerSecond = bytesPerSecond;
        _burst = burstBytes;
        _tokens = burstBytes;
        _stamp = _time.GetTimestamp();
    }

    public double BytesPerSecond
    {
        get { lock (_gate) return _bytesPerSecond; }
    }

    /// <summary>Takes <paramref name="bytes"/> tokens; returns how long until they are earned (zero if they were there).</summary>
    public TimeSpan Reserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            Refill();
            _tokens -= bytes;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }
    }

    /// <summary>Gives back tokens of bytes that were reserved but never sent (a cancelled send).</summary>
    public void Refund(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            Refill();
            _tokens = Math.Min(_burst, _tokens + bytes);
        }
    }

    /// <summary>Changes the rate from now on; a debt already owed is repaid at the new rate.</summary>
    public void ChangeRate(double bytesPerSecond)
    {
        if (!(bytesPerSecond > 0) || double.IsInfinity(bytesPerSecond)) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "rate must be a finite number of bytes per second > 0");
        lock (_gate)
        {
            Refill();
            _bytesPerSecond = bytesPerSecond;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_stamp, now).TotalSeconds * _bytesPerSecond);
        _stamp = now;
    }
}

namespace CollabVlm.NodeDefaults.Downing;

/// <summary>
/// When to decide, as a plain clock (Akka's "stable after" with "down all when unstable"): once something is
/// unreachable, the table must hold still for the stable time before the decider acts; when it keeps changing for the
/// stable time plus <see cref="Margin"/> counted from the first change, the network is too flaky to trust either
/// side, and the decider downs every member.
/// </summary>
public sealed class InstabilityWatch(TimeSpan stableAfter, TimeSpan margin)
{
    private DateTimeOffset? _since;
    private DateTimeOffset _lastChange;

    /// <summary>Akka's default: three quarters of the stable time, at least 4 s.</summary>
    public static TimeSpan DefaultMargin(TimeSpan stableAfter) =>
        TimeSpan.FromTicks(Math.Max(stableAfter.Ticks * 3 / 4, TimeSpan.FromSeconds(4).Ticks));

    public TimeSpan Margin => margin;

    /// <summary>The table changed at <paramref name="now"/>; <paramref name="anyUnreachable"/> says whether it still holds an unreachable member.</summary>
    public void Changed(DateTimeOffset now, bool anyUnreachable)
    {
        _lastChange = now;
        if (!anyUnreachable) _since = null;
        else _since ??= now;
    }

    /// <summary>
    /// A decision was carried out at <paramref name="now"/>: the clock starts again, so a table still not clear one stable
    /// time later (the downed members have not gone, or the decider's Down did not reach them) is decided again.
    /// </summary>
    public void Decided(DateTimeOffset now)
    {
        if (_since is null) return;
        _since = now;
        _lastChange = now;
    }

    /// <summary>What to do at <paramref name="now"/>: a table that held still is decided even if it was flaky before.</summary>
    public DowningTiming Verdict(DateTimeOffset now) =>
        _since is not { } since ? DowningTiming.Idle
        : now - _lastChange >= stableAfter ? DowningTiming.Stable
        : now - since >= stableAfter + margin ? DowningTiming.Unstable
        : DowningTiming.Wait;

    /// <summary>How long until <see cref="Verdict"/> may change without another change of the table (never negative).</summary>
    public TimeSpan NextCheck(DateTimeOffset now)
    {
        if (_since is not { } since) return stableAfter;
        var untilStable = _lastChange + stableAfter - now;
        var untilUnstable = since + stableAfter + margin - now;
        var next = untilStable < untilUnstable ? untilStable : untilUnstable;
        return next > TimeSpan.Zero ? next : TimeSpan.Zero;
    }
}

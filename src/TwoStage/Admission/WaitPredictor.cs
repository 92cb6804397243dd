namespace CollabVlm.TwoStage.Admission;

/// <summary>
/// How long a new model job would wait on this node: the jobs ahead of it times the recent service time (an
/// exponentially weighted mean of finished model calls, seeded with a prior so the first burst is not admitted blind).
/// The running job counts whole: a prediction on the long side refuses a little early rather than letting a query
/// wait out its deadline in the queue.
/// </summary>
public sealed class WaitPredictor
{
    private readonly double _weight;
    private double _serviceSeconds;
    private double _deviationSeconds;

    /// <param name="prior">Service time assumed before any call finished.</param>
    /// <param name="weight">Weight of the newest call in the mean (0–1]: 0.3 follows a change within a few calls.</param>
    public WaitPredictor(TimeSpan prior, double weight = 0.3)
    {
        if (prior < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(prior), "the prior service time must be ≥ 0");
        if (weight is <= 0 or > 1 || double.IsNaN(weight)) throw new ArgumentOutOfRangeException(nameof(weight), "the weight must be in (0, 1]");
        _weight = weight;
        _serviceSeconds = prior.TotalSeconds;
    }

    /// <summary>Recent time of one model call.</summary>
    public TimeSpan ServiceTime => TimeSpan.FromSeconds(_serviceSeconds);

    /// <summary>
    /// A long call: the mean plus twice the recent mean absolute deviation. What one job should be given before it
    /// starts; the mean is right for a queue of them, where long and short calls even out.
    /// </summary>
    public TimeSpan LongServiceTime => TimeSpan.FromSeconds(_serviceSeconds + 2 * _deviationSeconds);

    /// <summary>A model call finished after <paramref name="duration"/>; non-positive durations (clock trouble) are ignored.</summary>
    public void Observe(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return;
        _deviationSeconds += _weight * (Math.Abs(duration.TotalSeconds - _serviceSeconds) - _deviationSeconds);
        _serviceSeconds += _weight * (duration.TotalSeconds - _serviceSeconds);
    }

    /// <summary>Wait of a job that joins behind <paramref name="jobsAhead"/> jobs (queued and running).</summary>
    public TimeSpan PredictedWait(int jobsAhead) => TimeSpan.FromSeconds(_serviceSeconds * Math.Max(0, jobsAhead));

    /// <summary>
    /// Null when a query with <paramref name="deadline"/> left can have its global pass done behind
    /// <paramref name="jobsAhead"/> jobs within <paramref name="share"/> of that deadline (the rest is margin for the
    /// prediction's error: service times swing on a busy CPU); otherwise the sentence a busy reply carries, naming the wait.
    /// </summary>
    public string? Refusal(int jobsAhead, TimeSpan deadline, double share = 1.0)
    {
        if (share is <= 0 or > 1 || double.IsNaN(share)) throw new ArgumentOutOfRangeException(nameof(share), "must be in (0, 1]");
        var wait = PredictedWait(jobsAhead);
        var done = wait + ServiceTime;
        return done <= deadline * share
            ? null
            : $"predicted wait {wait.TotalSeconds:0.0} s ({jobsAhead} model job(s) ahead × {ServiceTime.TotalSeconds:0.00} s) plus its own pass "
              + $"exceeds {share:P0} of the {deadline.TotalSeconds:0.0} s left of its deadline; retry on another server";
    }
}

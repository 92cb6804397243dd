namespace CollabVlm.TwoStage.Admission;

/// <summary>
/// The node's latest forecast of how long a model job joining its queue now would take to finish (wait plus its own
/// pass). The gateway writes it at every load change; the coordinators read it when they decide whether a refined pass
/// can still finish in time, so a saturated server answers with the global answer at once instead of asking the edge
/// for bytes its model cannot reach before the deadline. Written by one actor and read by many, hence atomic.
/// </summary>
public sealed class ModelWaitForecast
{
    private long _waitTicks;
    private long _serviceTicks;

    /// <summary>Predicted wait for the model plus one call, for a job queued now.</summary>
    public TimeSpan NextJobDone => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks) + Interlocked.Read(ref _serviceTicks));

    public void Update(TimeSpan predictedWait, TimeSpan serviceTime)
    {
        Interlocked.Exchange(ref _waitTicks, Math.Max(0, predictedWait.Ticks));
        Interlocked.Exchange(ref _serviceTicks, Math.Max(0, serviceTime.Ticks));
    }
}

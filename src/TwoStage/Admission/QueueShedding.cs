namespace CollabVlm.TwoStage.Admission;

/// <summary>
/// Which queued model jobs can no longer finish by their deadlines, re-judged while they wait. Admission predicts
/// once, at the door; when the model then runs slower than it did (a CPU shared with other processes, a longer
/// refined pass), jobs admitted on that prediction would wait out their deadlines in the queue. Shedding them as soon
/// as the queue's progress says they will miss hands each back while time is left: a global pass can still be
/// answered by another server, a refined pass degrades to the global answer at once.
/// </summary>
public static class QueueShedding
{
    /// <summary>
    /// The positions (in queue order) of jobs whose predicted finish is after their deadline. The prediction plays the
    /// queue forward at <paramref name="serviceTime"/> per call: each of <paramref name="maxRunning"/> slots frees when
    /// its running call has had its service time (at once for a call already past it, or for an idle slot), and each
    /// job takes the slot that frees first. A job is kept when its own pass, counted at <paramref name="ownPass"/> (a long
    /// call; the service time when not given), ends by its deadline. A shed job takes no slot, which moves those behind it up.
    /// </summary>
    public static IReadOnlyList<int> Overdue(IReadOnlyList<DateTime> queuedDeadlines, IReadOnlyList<TimeSpan> runningFor, int maxRunning,
        TimeSpan serviceTime, DateTime now, TimeSpan? ownPass = null)
    {
        var own = ownPass is { } o && o > serviceTime ? o : serviceTime;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunning, 1);
        if (serviceTime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(serviceTime), "the service time must be ≥ 0");
        var freeAt = new DateTime[maxRunning];
        for (var slot = 0; slot < maxRunning; slot++)
            freeAt[slot] = slot < runningFor.Count && runningFor[slot] < serviceTime ? now + (serviceTime - runningFor[slot]) : now;
        var overdue = new List<int>();
        for (var i = 0; i < queuedDeadlines.Count; i++)
        {
            var first = Array.IndexOf(freeAt, freeAt.Min());
            if (freeAt[first] + own > queuedDeadlines[i]) overdue.Add(i);
            else freeAt[first] += serviceTime;
        }
        return overdue;
    }

    /// <summary>The sentence a shed job's failure carries: what was predicted and that another server may still answer.</summary>
    public static string Reason(TimeSpan left, TimeSpan serviceTime) =>
        left > TimeSpan.Zero
            ? $"shed from the model queue: at the recent {serviceTime.TotalSeconds:0.00} s per model call it would finish after its deadline "
              + $"({left.TotalSeconds:0.0} s left); retry on another server"
            : "the query's deadline passed while it waited for the model";
}

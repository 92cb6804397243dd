using System.Diagnostics;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// The submissions of one query to servers: the current one, and after a lost or refusing server the next, which
/// carries one more attempt and what is left of the deadline. A server that refuses (busy, shutting down) costs no
/// attempt: the query is re-submitted after a jittered back-off (<see cref="BusyBackoff"/>) while its deadline allows.
/// Plain class, owned by one <see cref="EdgeQuery"/>.
/// </summary>
/// <param name="askedAt">Stopwatch timestamp of the ask.</param>
internal sealed class Submissions(SubmitQuery first, long askedAt, EdgeSettings settings)
{
    private readonly TimeSpan _deadline = first.Options.Deadline;
    private int _refusals;

    public SubmitQuery Current { get; private set; } = first;

    /// <summary>Since the query was asked: what its outcome reports, and what the deadline has lost.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(askedAt);

    /// <summary>No attempt is left (<see cref="EdgeSettings.MaxAttempts"/>; refusals not counted).</summary>
    public bool Exhausted => Current.Attempt - _refusals >= settings.MaxAttempts;

    /// <summary>The failure to report when no attempt is left (<see cref="Exhausted"/>) after <paramref name="lastProblem"/>; null while one is.</summary>
    public QueryFailed? GiveUp(string lastProblem) => Exhausted
        ? new QueryFailed(Current.QueryId, FailureReason.ServerUnavailable, $"no answer after {Current.Attempt} submission(s); last: {lastProblem}")
        : null;

    /// <summary>
    /// A server refused the query (busy or shutting down): the delay before it goes to another server, or null when
    /// <paramref name="failed"/> is no refusal or the deadline leaves no time to retry (then <see cref="Final"/> says so).
    /// </summary>
    public TimeSpan? AfterRefusal(QueryFailed failed)
    {
        if (failed.Reason is not (FailureReason.Busy or FailureReason.ShuttingDown)) return null;
        var delay = settings.Backoff.Delay(_refusals + 1, _deadline - Elapsed, Random.Shared.NextDouble());
        if (delay is not null) _refusals++;
        return delay;
    }

    /// <summary>The failure the asker gets: a refusal says that the deadline left no time for another server.</summary>
    public QueryFailed Final(QueryFailed failed) => failed.Reason is FailureReason.Busy or FailureReason.ShuttingDown
        ? failed with { Message = $"{failed.Message} — refused {_refusals + 1} time(s); {Math.Max(0, (_deadline - Elapsed).TotalSeconds):0.0} s of the deadline left, too little to try another server" }
        : failed;

    /// <summary>The accept timeout starts when the global image is handed to the uplink, so it covers the upload over <paramref name="link"/>.</summary>
    public TimeSpan AcceptWithin(LinkView link) => settings.AcceptTimeout + link.TimeToDeliver(Current.Global.Jpeg.Length);

    /// <summary>How long an accepting server may stay silent: the deadline, and the grace for its answer to arrive.</summary>
    public TimeSpan SilentAfter => Current.Options.Deadline + settings.AnswerGrace;

    /// <summary>Moves on to the next attempt; the server gets at least one second.</summary>
    public SubmitQuery Next()
    {
        var left = Current.Options.Deadline - Elapsed;
        Current = Current with
        {
            Attempt = Current.Attempt + 1,
            Options = Current.Options with { Deadline = left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1) },
        };
        return Current;
    }
}

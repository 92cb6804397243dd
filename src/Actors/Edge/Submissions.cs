using System.Diagnostics;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// The submissions of one query to servers: the current one, and after a lost server the next, which carries one
/// more attempt and what is left of the deadline. Plain class, owned by one <see cref="EdgeQuery"/>.
/// </summary>
/// <param name="askedAt">Stopwatch timestamp of the ask.</param>
internal sealed class Submissions(SubmitQuery first, long askedAt, EdgeSettings settings)
{
    public SubmitQuery Current { get; private set; } = first;

    /// <summary>Since the query was asked: what its outcome reports, and what the deadline has lost.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(askedAt);

    /// <summary>No attempt is left (<see cref="EdgeSettings.MaxAttempts"/>).</summary>
    public bool Exhausted => Current.Attempt >= settings.MaxAttempts;

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

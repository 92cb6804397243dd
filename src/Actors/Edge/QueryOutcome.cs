using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// What the edge tells whoever asked: exactly one of <paramref name="Answered"/> and
/// <paramref name="Failed"/>, the end-to-end time seen by the edge, and how many submissions it took.
/// </summary>
public sealed record QueryOutcome(QueryId QueryId, QueryAnswered? Answered, QueryFailed? Failed, TimeSpan Elapsed, int Attempts, int GlobalQuality)
{
    public bool IsAnswered => Answered is not null;
}

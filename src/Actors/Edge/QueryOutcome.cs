using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// What the edge tells whoever asked: exactly one of <paramref name="Answered"/> and
/// <paramref name="Failed"/>, the end-to-end time seen by the edge, and how many submissions it took.
/// <paramref name="LocalUpload"/> is the time from handing the local image's first chunk to the
/// uplink until the server's receipt of all of it (null when no complete local upload happened).
/// </summary>
public sealed record QueryOutcome(QueryId QueryId, QueryAnswered? Answered, QueryFailed? Failed, TimeSpan Elapsed, int Attempts, int GlobalQuality,
    TimeSpan? LocalUpload = null)
{
    public bool IsAnswered => Answered is not null;
}

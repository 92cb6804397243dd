using CollabVlm.Inference;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// What the edge tells whoever asked: exactly one of <paramref name="Answered"/> and
/// <paramref name="Failed"/>, the end-to-end time seen by the edge, and how many submissions it took.
/// <paramref name="LocalUpload"/> is the time from handing the local image's first chunk to the
/// uplink until the server's receipt of all of it (null when no complete local upload happened).
/// <paramref name="EdgeScan"/> is the edge's text scan of the frame as it stood when the region was cut (null when
/// no region was snapped onto a scan).
/// </summary>
public sealed record QueryOutcome(QueryId QueryId, QueryAnswered? Answered, QueryFailed? Failed, TimeSpan Elapsed, int Attempts, int GlobalQuality,
    TimeSpan? LocalUpload = null, ProposalSet? EdgeScan = null)
{
    public bool IsAnswered => Answered is not null;
}

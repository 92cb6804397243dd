using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.Bench.Proposals;

/// <summary>
/// One frame's inputs to the edge's region choice, kept so the ranking can be replayed without the
/// minutes of scanning and model passes that produced them: the edge's scan, and (when the server's
/// global pass was run too) the region the server asked for, the coarse map it sent with it and the long side of
/// the global image it saw.
/// </summary>
public sealed record FrameScan(string Id, int? TextHeightPx, int Distractors, string Question, int Width, int Height, NormalizedBox Truth,
    IReadOnlyList<TextProposal> Proposals, double ElapsedMs, int TilesDone, int TilesPlanned, double Scale,
    NormalizedBox? ServerBox = null, CoarseRelevance? Hint = null, int? GlobalLongSide = null)
{
    public ProposalSet AsProposalSet() => new(Proposals, TimeSpan.FromMilliseconds(ElapsedMs), TilesDone, TilesPlanned, Scale);
}

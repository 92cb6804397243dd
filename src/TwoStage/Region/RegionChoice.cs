using CollabVlm.Inference;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Region;

/// <summary>
/// Step 3, right after the gate: the region of the original frame to ask the edge for, chosen on
/// the global pass's relevance map by the ViCrop windows (<see cref="RoiSelector"/>) with a base
/// side of <paramref name="basePixels"/> original pixels. Normalized, so the server never needs the
/// original's pixels. With it goes the map itself, shrunk to a few hundred bytes
/// (<see cref="Hint"/>), so an edge that scanned its full frame for text can snap the region onto the
/// text the server's map points at (<see cref="Cut"/>), or onto text the global image lost.
/// </summary>
public static class RegionChoice
{
    public static NormalizedBox For(ModelOutput global, int basePixels, int originalWidth, int originalHeight)
    {
        ArgumentNullException.ThrowIfNull(global);
        return RoiSelector.Select(global.Relevance, RoiSelector.BaseFraction(basePixels, originalWidth, originalHeight));
    }

    /// <summary>The server's relevance map as the region request carries it.</summary>
    public static CoarseRelevance Hint(ModelOutput global)
    {
        ArgumentNullException.ThrowIfNull(global);
        return ProposalRanking.Shrink(global.Relevance);
    }

    /// <summary>
    /// The edge's side: the requested box moved onto the best of the edge's own text proposals
    /// (<see cref="ProposalRanking"/>), ranked with the server's map when the request carried one and by
    /// the sign the question names (<paramref name="question"/>, parsed by the edge that asked it);
    /// the requested box when the edge has no proposals. <paramref name="globalLongSide"/>, the long side of the global
    /// image the edge sent, tells which lines that image already showed legibly (<see cref="ProposalRanking.Rank"/>).
    /// With it, up to <paramref name="runnersUp"/> small crops of the next-best lines to send beside the region in the
    /// same local image (<see cref="RunnerUpChoice"/>), ranked once for both. <paramref name="snappedRegionPixels"/> is the least
    /// side of a snapped region (<see cref="EdgeSettings.SnappedRegionPixels"/>; 0: the requested box's size, at its own pixels).
    /// </summary>
    public static RegionCut Cut(NormalizedBox requested, CoarseRelevance? hint, ProposalSet? proposals, int originalWidth, int originalHeight,
        SignQuery? question, int? globalLongSide, int runnersUp, int snappedRegionPixels = 0)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (proposals is null || proposals.Proposals.Count == 0) return RegionCut.Only(requested);
        var ranked = ProposalRanking.Ranked(hint, proposals.Proposals, originalWidth, originalHeight, question, globalLongSide);
        var region = ProposalRanking.Choose(requested, ranked, originalWidth, originalHeight, snappedRegionPixels);
        return new RegionCut(region, RunnerUpChoice.Choose(region, ranked, requested, originalWidth, originalHeight, runnersUp))
        {
            // Sized for the line it was snapped onto, and sent as the runners-up are: a large line scaled down to a height
            // the reader reads as well (on the tune photo set, the same answers for half the bytes).
            Scale = snappedRegionPixels > 0 && ranked.Count > 0 ? Math.Min(1, RunnerUpChoice.MaxLinePx / ranked[0].Line.HeightPx) : 1,
        };
    }
}

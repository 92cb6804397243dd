using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// Several crops within one grant. The edge's ranking is right about the line to centre on most of the time, not
/// always: where it is wrong, the true line was mostly ranked second or third (a foliage "line" under the server's
/// map peak outranked a small sign). The region stays as chosen; the next lines whose rank comes close to the best
/// get a tight crop each, packed into the same local image, and the server's reader reads every crop and answers
/// with the one that fits the question or reads surest. A runner-up costs few bytes: a small line is kept at its
/// own pixels in a crop a few lines high, and a large one is scaled down to <see cref="MaxLinePx"/>.
/// </summary>
public static class RunnerUpChoice
{
    /// <summary>A runner-up ranked below this share of the best line is left out: the ranking was sure enough.</summary>
    public const double RankShare = 0.2;

    /// <summary>A runner-up's line is shown at most this high (pixels of the local image): plenty for the reader.</summary>
    public const double MaxLinePx = 32;

    /// <summary>A runner-up's crop is this many line heights high at least, and this many wider than its sign.</summary>
    public const double ContextLines = 3;

    /// <summary>
    /// Up to <paramref name="max"/> runners-up, best first: lines after the first of <paramref name="ranked"/> (as
    /// <see cref="ProposalRanking.Ranked"/> orders them) whose rank is at least <see cref="RankShare"/> of the best,
    /// whose centre lies outside <paramref name="region"/> and outside every runner-up taken before.
    /// </summary>
    public static IReadOnlyList<RunnerUp> Choose(NormalizedBox region, IReadOnlyList<(TextProposal Line, double Rank)> ranked, NormalizedBox serverBox,
        int frameWidth, int frameHeight, int max)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(serverBox);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (frameWidth < 1 || frameHeight < 1)
            throw new ArgumentException($"frame {frameWidth}×{frameHeight} has no pixels");
        var chosen = new List<RunnerUp>();
        if (ranked.Count < 2 || max == 0 || ranked[0].Rank <= 0) return chosen;
        var lines = ranked.Select(r => r.Line).ToList();
        foreach (var (line, rank) in ranked.Skip(1))
        {
            if (chosen.Count == max || rank < RankShare * ranked[0].Rank) break;
            var (cx, cy) = ((line.Box.X0 + line.Box.X1) / 2, (line.Box.Y0 + line.Box.Y1) / 2);
            if (region.Contains(cx, cy) || chosen.Any(c => c.Region.Contains(cx, cy))) continue;
            var sign = ProposalRanking.SignAround(line, lines, serverBox, frameWidth, frameHeight);
            chosen.Add(new RunnerUp(Around(sign, line.HeightPx, frameWidth, frameHeight), Math.Min(1, MaxLinePx / line.HeightPx), line));
        }
        return chosen;
    }

    /// <summary>The sign with a margin of <see cref="ContextLines"/> line heights in all, inside the frame.</summary>
    private static NormalizedBox Around(NormalizedBox sign, double lineHeightPx, int frameWidth, int frameHeight) =>
        NormalizedBox.Centred((sign.X0 + sign.X1) / 2, (sign.Y0 + sign.Y1) / 2, sign.Width + ContextLines * lineHeightPx / frameWidth,
            Math.Max(sign.Height, lineHeightPx / frameHeight) + ContextLines * lineHeightPx / frameHeight);
}

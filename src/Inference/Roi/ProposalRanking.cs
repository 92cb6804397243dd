using CollabVlm.Inference.Reader;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// Edge-assisted region choice: the server's model only sees the global image, where text a few
/// pixels high leaves no trace, so its relevance map cannot point at it; the edge's detector, run
/// over the full-resolution frame, can. When the server asks for a region, the edge ranks the text
/// lines it found — by the detector's confidence, by looking like a line of text (wider than tall),
/// and, when the request carries the server's coarse relevance map, by how relevant the server found
/// that spot — and centres the crop on the best one. With no usable proposal the server's own box stands.
/// A question that names its sign (colour, place) weights the lines as the reader weights signs
/// (<see cref="SignChoice.Score"/>): the edge holds the question and every pixel, so it can tell the red
/// plate from the blue one where the global image could not.
/// </summary>
public static class ProposalRanking
{
    /// <summary>Lines lower than this in original pixels are noise (grain, leaves), not text anyone asks about.</summary>
    public const double MinHeightPx = 5;

    /// <summary>A proposal's relevance factor never falls below this, so text the server's map missed altogether can still win.</summary>
    public const double RelevanceFloor = 0.25;

    /// <summary>The crop is at least this much wider than the line it centres on.</summary>
    public const double LineMargin = 1.3;

    /// <summary>
    /// With a least side (<see cref="Choose(NormalizedBox, IReadOnlyList{ValueTuple{TextProposal, double}}, int, int, int)"/>),
    /// a crop is still at least this many of its line's heights across and down.
    /// </summary>
    public const double ContextLineHeightsAcross = 16, ContextLineHeightsDown = 10;

    /// <summary>Shrinks a relevance map to at most <paramref name="maxCellsPerSide"/> cells a side by max-pooling (a small peak survives), scaled to bytes.</summary>
    public static CoarseRelevance Shrink(RelevanceMap map, int maxCellsPerSide = 24)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (maxCellsPerSide is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(maxCellsPerSide), maxCellsPerSide, "a coarse map has 1–64 cells a side");
        var factor = Math.Max(1, (int)Math.Ceiling(Math.Max(map.Width, map.Height) / (double)maxCellsPerSide));
        int w = (map.Width + factor - 1) / factor, h = (map.Height + factor - 1) / factor;
        var pooled = new float[w * h];
        for (var y = 0; y < map.Height; y++)
            for (var x = 0; x < map.Width; x++)
            {
                var i = y / factor * w + x / factor;
                pooled[i] = Math.Max(pooled[i], map[x, y]);
            }
        var max = pooled.Max();
        var cells = pooled.Select(v => max > 0 ? (byte)Math.Clamp(Math.Round(255 * v / max), 0, 255) : (byte)0).ToArray();
        return new CoarseRelevance(w, h, cells);
    }

    /// <summary>
    /// A detected line about this high in the global image (its box, margin included) holds text the server's own pass
    /// already read: on the photo and generated sets the global pass read 95 % of signs whose capitals were 8–10 px
    /// there (lines the detector boxes 13–16 px high there), and fewer than half below 6 px.
    /// </summary>
    public const double LegibleGlobalLinePx = 16;

    /// <summary>
    /// A proposal's rank: confidence × line shape × (server relevance, floored; 1 without a map) × what a closer look
    /// adds. The last applies with a map, when the global image's long side is known: the server asks for a region
    /// because its pass over the global image was not enough, so a line that image already showed legibly (above
    /// <see cref="LegibleGlobalLinePx"/>) is weighted down in proportion, however relevant the server found it — there
    /// the server's map points at what it could see and could not read (foliage, grain, an illustration), not at text
    /// the global image lost.
    /// </summary>
    public static double Rank(TextProposal proposal, CoarseRelevance? relevance, int frameWidth, int frameHeight, int? globalLongSide = null)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var aspect = proposal.Box.Width * frameWidth / Math.Max(1e-9, proposal.Box.Height * frameHeight);
        var shape = Math.Min(1, aspect / 1.5);
        if (relevance is null) return proposal.Score * shape;
        var relevant = RelevanceFloor + (1 - RelevanceFloor) * relevance.MaxOver(proposal.Box);
        var inGlobal = globalLongSide is { } side ? proposal.HeightPx * Math.Min(1, (double)side / Math.Max(frameWidth, frameHeight)) : 0;
        var closer = inGlobal > LegibleGlobalLinePx ? LegibleGlobalLinePx / inGlobal : 1;
        return proposal.Score * shape * relevant * closer;
    }

    /// <summary>
    /// The region to cut: centred on the best-ranked proposal at least <see cref="MinHeightPx"/> high,
    /// as wide as the server's box (or <see cref="LineMargin"/> × the line when that is wider), inside
    /// the frame; the server's box when no proposal qualifies.
    /// </summary>
    public static NormalizedBox Choose(NormalizedBox serverBox, CoarseRelevance? relevance, IReadOnlyList<TextProposal> proposals, int frameWidth, int frameHeight,
        SignQuery? query = null, int? globalLongSide = null)
    {
        ArgumentNullException.ThrowIfNull(serverBox);
        ArgumentNullException.ThrowIfNull(proposals);
        if (frameWidth < 1 || frameHeight < 1)
            throw new ArgumentException($"frame {frameWidth}×{frameHeight} has no pixels");
        return Choose(serverBox, Ranked(relevance, proposals, frameWidth, frameHeight, query, globalLongSide), frameWidth, frameHeight);
    }

    /// <summary>
    /// <see cref="Choose(NormalizedBox, CoarseRelevance?, IReadOnlyList{TextProposal}, int, int, SignQuery?, int?)"/> on lines
    /// already <see cref="Ranked"/>. <paramref name="leastSidePixels"/>: the crop is at least this many frame pixels on a
    /// side; 0 keeps the server's box as the least size. The server's box is sized for a region it could only guess; a
    /// line the edge found at full resolution needs only its sign and a margin, so a smaller least side sends fewer bytes.
    /// </summary>
    public static NormalizedBox Choose(NormalizedBox serverBox, IReadOnlyList<(TextProposal Line, double Rank)> ranked, int frameWidth, int frameHeight,
        int leastSidePixels = 0)
    {
        ArgumentNullException.ThrowIfNull(serverBox);
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentOutOfRangeException.ThrowIfNegative(leastSidePixels);
        if (ranked.Count == 0) return serverBox;
        var best = ranked[0].Line;
        var sign = SignAround(best, [.. ranked.Select(r => r.Line)], serverBox, frameWidth, frameHeight);
        // A least side in pixels, but never under a number of the line's heights: the words of a sign the detector split
        // off or judged another plate stay in view, as they did in the server's box. Words run sideways, so more across.
        var (leastWidth, leastHeight) = leastSidePixels > 0
            ? (Math.Max(leastSidePixels, ContextLineHeightsAcross * best.HeightPx) / frameWidth,
                Math.Max(leastSidePixels, ContextLineHeightsDown * best.HeightPx) / frameHeight)
            : (serverBox.Width, serverBox.Height);
        return NormalizedBox.Centred((sign.X0 + sign.X1) / 2, (sign.Y0 + sign.Y1) / 2, Math.Max(leastWidth, LineMargin * sign.Width),
            Math.Max(leastHeight, LineMargin * Math.Max(sign.Height, best.Box.Height * 2)));
    }

    /// <summary>
    /// The lines at least <see cref="MinHeightPx"/> high, best first, each with its rank: <see cref="Rank"/>, weighed by the
    /// question when it names a sign (<see cref="WeighByQuestion"/>). Ties keep the scan's order.
    /// </summary>
    public static IReadOnlyList<(TextProposal Line, double Rank)> Ranked(CoarseRelevance? relevance, IReadOnlyList<TextProposal> proposals, int frameWidth,
        int frameHeight, SignQuery? query = null, int? globalLongSide = null)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        var eligible = proposals.Where(p => p.HeightPx >= MinHeightPx).ToList();
        var ranks = eligible.Select(p => Rank(p, relevance, frameWidth, frameHeight, globalLongSide)).ToList();
        if (query is { NamesASign: true }) ranks = WeighByQuestion(query, eligible, ranks);
        return [.. eligible.Select((line, i) => (line, ranks[i])).OrderByDescending(r => r.Item2)];
    }

    /// <summary>How far (in heights of the chosen line) the next line of the same sign may be: beside it, and above or below.</summary>
    public const double SignGapAcross = 1.5, SignGapDown = 1.0;

    /// <summary>
    /// The box of the sign the chosen line belongs to: the line grown by the lines next to it of about its height and
    /// of its plate colour (where both were told) — the other words of a two-part name the detector split, the second
    /// row of a plate — so the crop holds the whole sign, not one line of it. Never wider or taller than twice the
    /// server's box: beyond that the lines are more likely texture than one sign.
    /// </summary>
    public static NormalizedBox SignAround(TextProposal chosen, IReadOnlyList<TextProposal> lines, NormalizedBox serverBox, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(serverBox);
        var box = chosen.Box;
        var taken = new HashSet<TextProposal> { chosen };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var line in lines)
            {
                if (taken.Contains(line) || !SameSign(chosen, line, box, frameWidth, frameHeight)) continue;
                var union = NormalizedBox.Create(Math.Min(box.X0, line.Box.X0), Math.Min(box.Y0, line.Box.Y0), Math.Max(box.X1, line.Box.X1), Math.Max(box.Y1, line.Box.Y1));
                if (union.Width > 2 * serverBox.Width || union.Height > 2 * serverBox.Height) continue;
                (box, grew) = (union, true);
                taken.Add(line);
            }
        }
        return box;
    }

    private static bool SameSign(TextProposal chosen, TextProposal line, NormalizedBox sign, int frameWidth, int frameHeight)
    {
        if (line.HeightPx < chosen.HeightPx / 2 || line.HeightPx > chosen.HeightPx * 2) return false;
        if (chosen.Colour is not null && line.Colour is not null && chosen.Colour != line.Colour) return false;
        var gapX = Math.Max(0, Math.Max(line.Box.X0 - sign.X1, sign.X0 - line.Box.X1)) * frameWidth;
        var gapY = Math.Max(0, Math.Max(line.Box.Y0 - sign.Y1, sign.Y0 - line.Box.Y1)) * frameHeight;
        // Beside it on its row, or on the next row with the columns overlapping.
        return gapY == 0 && gapX <= SignGapAcross * chosen.HeightPx || gapX == 0 && gapY <= SignGapDown * chosen.HeightPx;
    }

    /// <summary>Lines within this share of the best rank are the contenders among which a place ("the left one") is judged.</summary>
    public const double ContenderShare = 0.3;

    /// <summary>
    /// Each rank times how well its line fits the question (<see cref="SignChoice.Floor"/> to 1, relative to the best
    /// fit). Places are judged among the contenders only: the leftmost of the likely signs, not of every leaf the
    /// detector flickered on.
    /// </summary>
    public static List<double> WeighByQuestion(SignQuery query, IReadOnlyList<TextProposal> lines, IReadOnlyList<double> ranks)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (lines.Count != ranks.Count) throw new ArgumentException($"{ranks.Count} ranks for {lines.Count} lines", nameof(ranks));
        if (lines.Count == 0) return [];
        var top = ranks.Max();
        var contenders = lines.Where((_, i) => ranks[i] >= ContenderShare * top).Select(Candidate).ToList();
        var fits = lines.Select(line =>
        {
            var candidate = Candidate(line);
            var among = contenders.Any(c => c.Box == candidate.Box) ? contenders : [.. contenders, candidate];
            return SignChoice.Score(query, candidate, among);
        }).ToList();
        var best = fits.Max();
        return ranks.Select((rank, i) => rank * (best > 0 ? SignChoice.Floor + (1 - SignChoice.Floor) * Math.Clamp(fits[i] / best, 0, 1) : 1)).ToList();

        static SignCandidate Candidate(TextProposal line) => new(line.Box, TextReading.Empty, line.Colour);
    }
}

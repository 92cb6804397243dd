using System.Globalization;
using CollabVlm.Bench.Runs;
using CollabVlm.Inference;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.TwoStage.Region;
using Spectre.Console;

namespace CollabVlm.Bench.Proposals;

/// <summary>
/// What one frame's scan says about the region choice: whether a found line overlaps the true box, whether the
/// detector alone ranks such a line first, and — with the server's pass — whether the server's region and the
/// region the edge would cut from it (its map and the question) hold the true box's centre, and where the true
/// box's best line stands in the edge's ranking (1 = first; null when no line overlaps it).
/// </summary>
public sealed record ScanRow(int? TextHeightPx, int Distractors, double ScanMs, int Lines, bool Complete, bool Found, bool FirstByDetector,
    bool? ServerHit = null, bool? EdgeHit = null, int? TruePlace = null, string? Chosen = null, bool? TilesHit = null, int RunnersUp = 0)
{
    /// <param name="runnersUp">the edge's <c>Edge:RegionRunnersUp</c>: crops of the next-best lines sent beside the region</param>
    /// <param name="snappedRegionPixels">the edge's <c>Edge:SnappedRegionPixels</c>: the least side of a snapped region</param>
    public static ScanRow Of(FrameScan scan, bool withServer, int runnersUp = 0, int snappedRegionPixels = 0)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var holding = scan.Proposals.Where(p => RoiOverlap.IntersectionOverUnion(p.Box, scan.Truth) > 0).ToHashSet();
        var detectorFirst = ProposalRanking.Ranked(null, scan.Proposals, scan.Width, scan.Height).FirstOrDefault().Line;
        var row = new ScanRow(scan.TextHeightPx, scan.Distractors, scan.ElapsedMs, scan.Proposals.Count, scan.TilesDone == scan.TilesPlanned,
            holding.Count > 0, detectorFirst is not null && holding.Contains(detectorFirst));
        if (!withServer || scan.ServerBox is null) return row;
        var query = SignQueryParser.Parse(scan.Question);
        var ranked = ProposalRanking.Ranked(scan.Hint, scan.Proposals, scan.Width, scan.Height, query, scan.GlobalLongSide);
        var place = ranked.Select((r, i) => (r.Line, Place: i + 1)).FirstOrDefault(r => holding.Contains(r.Line)).Place;
        var cut = RegionChoice.Cut(scan.ServerBox, scan.Hint, scan.AsProposalSet(), scan.Width, scan.Height, query, scan.GlobalLongSide, runnersUp, snappedRegionPixels);
        var edgeHit = RoiOverlap.Hit(cut.Region, scan.Truth);
        var chosen = ranked.Count == 0 ? null
            : FormattableString.Invariant($"chose {ranked[0].Line.Box} ({ranked[0].Line.HeightPx:0} px, {ranked[0].Line.Colour ?? "?"}, rank {ranked[0].Rank:0.000})");
        return row with
        {
            ServerHit = RoiOverlap.Hit(scan.ServerBox, scan.Truth),
            EdgeHit = edgeHit,
            TilesHit = edgeHit || cut.RunnersUp.Any(r => RoiOverlap.Hit(r.Region, scan.Truth)),
            RunnersUp = cut.RunnersUp.Count,
            TruePlace = place == 0 ? null : place,
            Chosen = chosen,
        };
    }

    public string Describe() =>
        FormattableString.Invariant($"text {TextHeightPx} px, {Distractors} other signs: {ScanMs:0} ms{(Complete ? "" : " (incomplete)")}, {Lines} lines, true box ")
        + (Found ? "found" : "missed") + (FirstByDetector ? ", first by the detector" : "")
        + (EdgeHit is null ? ""
            : $"; server region {(ServerHit == true ? "hit" : "miss")}, edge cut {(EdgeHit == true ? "hit" : "miss")}"
              + (TruePlace is { } p ? $", true line ranked {p} of {Lines}" : "") + (EdgeHit == true ? "" : $", {Chosen}")
              + (RunnersUp > 0 ? $"; {RunnersUp} runner(s)-up, {(TilesHit == true ? "one holds it" : "none holds it")}" : ""));

    public static Table Table(IReadOnlyList<ScanRow> rows, bool withServer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().AddColumns("text height", "questions", "true box found", "first by detector", "lines / frame", "scan ms p50", "complete");
        if (withServer) table.AddColumns("server region hit", "edge cut hit (map + question)", "edge cut or a runner-up hit");
        foreach (var (band, low, high) in RoiFigures.Bands.Append(("all", 0, int.MaxValue)).Append(("≥ 14 px", 12, int.MaxValue)))
        {
            var part = rows.Where(r => band == "all" || r.TextHeightPx is { } h && h >= low && h <= high).ToList();
            if (part.Count == 0) continue;
            var cells = new List<string>
            {
                band, $"{part.Count}", Share(part, r => r.Found), Share(part, r => r.FirstByDetector),
                part.Average(r => r.Lines).ToString("0.0", CultureInfo.InvariantCulture),
                Percentiles.NearestRank(part.Select(r => r.ScanMs).Order().ToList(), 0.5).ToString("0", CultureInfo.InvariantCulture),
                Share(part, r => r.Complete),
            };
            if (withServer) cells.AddRange([Share(part, r => r.ServerHit == true), Share(part, r => r.EdgeHit == true), Share(part, r => r.TilesHit == true)]);
            table.AddRow([.. cells]);
        }
        return table;
    }

    private static string Share(IReadOnlyList<ScanRow> rows, Func<ScanRow, bool> which) => $"{rows.Count(which)}/{rows.Count}";
}

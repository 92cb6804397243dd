using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// Where the retransmitted region lands, compared across region choices: the headline
/// always-retransmit (the server's RoI), the in-process extra passes (the true-box ceiling, the
/// edge-proposals candidate), overall and per text-height band.
/// </summary>
public static class RoiFigures
{
    /// <summary>The bands, by the answer's cap height in the frame: about 10, 14, 20, 28, 42 and 63 px (edges at the geometric means).</summary>
    public static IReadOnlyList<(string Name, int Low, int High)> Bands { get; } =
    [
        ("≈10 px", 0, 11), ("≈14 px", 12, 16), ("≈20 px", 17, 23), ("≈28 px", 24, 33), ("≈42 px", 34, 51), ("≈63 px", 52, int.MaxValue),
    ];

    /// <summary>The region choices present in the run, in report order: headline always, candidates, ceiling last.</summary>
    public static IReadOnlyList<(string Name, Func<QuestionRecord, PassResult?> Pick)> Choices(IReadOnlyList<QuestionRecord> records, HeadlineView view)
    {
        var names = records.SelectMany(r => r.Extra?.Keys ?? []).Distinct().OrderBy(n => n == RunAnalysis.TrueBoxRow ? 1 : 0).ThenBy(n => n, StringComparer.Ordinal);
        // A pass that reports an edge scan had its region snapped by the edge.
        var snapped = records.Any(r => view.Always(r)?.EdgeMs is not null);
        var headline = $"always-retransmit ({view.Mode}, {(snapped ? "server RoI snapped by edge proposals" : "server RoI")})";
        var list = new List<(string, Func<QuestionRecord, PassResult?>)> { (headline, view.Always) };
        list.AddRange(names.Select(n => (n, (Func<QuestionRecord, PassResult?>)(r => r.Extra?.GetValueOrDefault(n)))));
        return list;
    }

    public static bool? Hit(QuestionRecord r, PassResult? pass) =>
        r.Item.Box is { } b && pass?.Roi is { } roi
            ? RoiOverlap.Hit(roi, b.In(r.FrameWidth, r.FrameHeight))
            : null;

    /// <summary><see cref="Hit"/>, or a runner-up the local image showed beside the region holds the true box's centre.</summary>
    public static bool? HitWithRunnersUp(QuestionRecord r, PassResult? pass) =>
        Hit(r, pass) is { } hit && r.Item.Box is { } b
            ? hit || (pass!.RunnersUp ?? []).Any(box => RoiOverlap.Hit(box, b.In(r.FrameWidth, r.FrameHeight)))
            : null;

    public static IReadOnlyList<RoiCandidateFigures> Candidates(IReadOnlyList<QuestionRecord> records, HeadlineView view)
    {
        var list = new List<RoiCandidateFigures>();
        foreach (var (name, pick) in Choices(records, view))
        {
            var rows = records.Select(r => (Record: r, Pass: pick(r))).Where(p => p.Pass is not null).ToList();
            if (rows.Count == 0) continue;
            var hits = rows.Select(p => Hit(p.Record, p.Pass)).OfType<bool>().ToList();
            var withRunnersUp = rows.Select(p => HitWithRunnersUp(p.Record, p.Pass)).OfType<bool>().ToList();
            var edge = rows.Select(p => p.Pass!.EdgeMs).OfType<double>().Order().ToList();
            var latency = rows.Where(p => p.Pass!.Answer is not null).Select(p => p.Pass!.LatencyMs + (p.Pass.TransferMs ?? 0)).Order().ToList();
            list.Add(new RoiCandidateFigures(name, rows.Count,
                hits.Count == 0 ? null : hits.Count(h => h) / (double)hits.Count,
                rows.Count(p => RunAnalysis.Right(p.Pass!.Answer, p.Record.Item)) / (double)rows.Count,
                rows.Average(p => (double)(p.Pass!.LocalBytes + p.Pass.HintBytes)),
                edge.Count == 0 ? null : Percentiles.NearestRank(edge, 0.5),
                latency.Count == 0 ? null : Percentiles.NearestRank(latency, 0.5))
            {
                RoiOrRunnerUpHitRate = rows.Any(p => p.Pass!.RunnersUp is { Count: > 0 }) && withRunnersUp.Count > 0
                    ? withRunnersUp.Count(h => h) / (double)withRunnersUp.Count
                    : null,
            });
        }
        return list;
    }

    public static IReadOnlyList<BandRow> PerBand(IReadOnlyList<QuestionRecord> records, HeadlineView view)
    {
        var choices = Choices(records, view);
        var rows = new List<BandRow>();
        foreach (var (band, low, high) in Bands)
        {
            var part = records.Where(r => r.Item.TextHeightPx is { } h && h >= low && h <= high).ToList();
            if (part.Count == 0) continue;
            rows.Add(new BandRow(band, part.Count,
                choices.ToDictionary(c => c.Name, c => part.Count(r => Hit(r, c.Pick(r)) == true)),
                choices.ToDictionary(c => c.Name, c => part.Count(r => RunAnalysis.Right(c.Pick(r)?.Answer, r.Item)))));
        }
        return rows;
    }
}

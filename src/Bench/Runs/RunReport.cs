using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.Runs;

/// <summary>Writes <c>results.json</c> and <c>report.md</c> of a run.</summary>
public static class RunReport
{
    public const string ResultsFile = "results.json";
    public const string ReportFile = "report.md";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(string folder, RunResults results, IReadOnlyList<string> charts, string commandLine)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ResultsFile), JsonSerializer.Serialize(results, Json));
        File.WriteAllText(Path.Combine(folder, ReportFile), Markdown(results, charts, commandLine));
    }

    private static string P(double v) => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %";
    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    private static string F3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
    private static string Ms(double? v) => v is null ? "–" : v.Value.ToString("0", CultureInfo.InvariantCulture);

    public static string HeadlineTable(RunResults r) => StrategyTable(r.Strategies);

    public static string StrategyTable(IReadOnlyList<StrategyFigures> strategies)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| strategy | mode | accuracy (EM) | ANLS | extra cost | retransmission share | relative compute | latency p50 / p95 ms | retransmitted | failed |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in strategies)
            sb.AppendLine($"| {s.Name} | {s.Mode} | {P(s.AccuracyEm)} | {F3(s.AccuracyAnls)} | {F(s.ExtraCost)} | {F3(s.RetransmissionShare)} | {F(s.RelativeCompute)} | {Ms(s.LatencyP50Ms)} / {Ms(s.LatencyP95Ms)} | {s.Retransmitted}/{s.Questions} | {s.Failed} |");
        return sb.ToString();
    }

    private static void AppendBar(StringBuilder sb, BarVerdict b, double threshold)
    {
        sb.AppendLine($"- headline gate (η = {threshold.ToString("0.###", CultureInfo.InvariantCulture)}): {P(b.HeadlineAccuracyRatio)} of always-retransmit accuracy at share {F3(b.HeadlineShare)}.");
        sb.AppendLine($"- best η with share ≤ 0.25 (in-sample; `calibrate` gives a held-out figure): {P(b.BestRatioAtShareQuarter)} of always-retransmit accuracy" +
                      (b.BestThresholdAtShareQuarter is { } t ? $" at η = {F3(t)}" : "") + ".");
        sb.AppendLine("- share needed for 98 %: " + (b.ShareNeededFor98Percent is { } s ? F3(s) : "not reached by any η") + ".");
        sb.AppendLine($"- beats random (expected accuracy at the same number of retransmissions) at {b.SweepPointsBeatingRandom} of {b.SweepPointsCompared} sweep points.");
        sb.AppendLine($"- **verdict: {(b.Met ? "met" : "not met")}**.");
        sb.AppendLine();
    }

    /// <summary>The region choices side by side, then per text-height band: RoI hits and right answers of each.</summary>
    public static void AppendRoiComparison(StringBuilder sb, RunResults r)
    {
        if (r.RoiCandidates.Count == 0) return;
        sb.AppendLine("### Region choices (always-retransmit)");
        sb.AppendLine();
        sb.AppendLine("| region choice | questions | RoI hit | RoI or runner-up hit | accuracy (EM) | extra bytes / question | edge scan p50 ms | latency p50 ms |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var c in r.RoiCandidates)
            sb.AppendLine($"| {c.Name} | {c.Questions} | {(c.RoiHitRate is { } h ? P(h) : "–")} | {(c.RoiOrRunnerUpHitRate is { } u ? P(u) : "–")} | {P(c.AccuracyEm)} | {c.ExtraBytesPerQuestion.ToString("0", CultureInfo.InvariantCulture)} | {Ms(c.EdgeMsP50)} | {Ms(c.LatencyP50Ms)} |");
        sb.AppendLine();
        sb.AppendLine("Latency: as measured for cluster rows; for in-process rows, compute plus the bytes and two round trips at the run's link.");
        sb.AppendLine();
        if (r.Bands.Count == 0) return;
        var names = r.RoiCandidates.Select(c => c.Name).ToList();
        sb.AppendLine("### Per text-height band: RoI hits / right answers");
        sb.AppendLine();
        sb.AppendLine("| text height | questions | " + string.Join(" | ", names) + " |");
        sb.AppendLine("|---|---|" + string.Concat(names.Select(_ => "---|")));
        foreach (var band in r.Bands)
            sb.AppendLine($"| {band.Band} | {band.Questions} | " + string.Join(" | ", names.Select(n =>
                $"{band.RoiHits.GetValueOrDefault(n)} / {band.Right.GetValueOrDefault(n)}")) + " |");
        sb.AppendLine();
    }

    private static void AppendBudget(StringBuilder sb, BudgetTracking t)
    {
        sb.AppendLine(t.TargetBytesPerQuery is { } perQuery
            ? $"## Budget gate (`Server:RetransmitBytesPerQuery` = {perQuery.ToString("0", CultureInfo.InvariantCulture)}, {t.Mode})"
            : $"## Budget gate (`Server:RetransmitBudget` = {t.TargetShare.ToString("0.###", CultureInfo.InvariantCulture)}, {t.Mode})");
        sb.AppendLine();
        sb.AppendLine("| gate | share of queries retransmitted | by quarter of the run | accuracy (EM) | retransmission share (bytes) |");
        sb.AppendLine("|---|---|---|---|---|");
        sb.AppendLine($"| budget, target {F3(t.TargetShare)} (window {t.Window}) | {F3(t.AchievedShare)} ({t.Retransmitted}/{t.Questions}) | " +
                      $"{string.Join(" / ", t.AchievedByQuarter.Select(F))} | {P(t.AccuracyEm)} | {F3(t.ByteShare)} |");
        sb.AppendLine($"| fixed η = {F3(t.FixedThreshold)} (replayed) | {F3(t.FixedThresholdQueryShare)} | – | {P(t.FixedThresholdAccuracyEm)} | – |");
        if (t.HindsightThreshold is { } h)
            sb.AppendLine($"| fixed η = {F3(h)}, chosen on this set for the budget's share (hindsight) | {F3(t.HindsightQueryShare ?? 0)} | – | {P(t.HindsightAccuracyEm ?? 0)} | – |");
        sb.AppendLine();
        if (t is { TargetBytesPerQuery: { } target, AchievedBytesPerQuery: { } spent })
            sb.AppendLine($"Bytes per question: target {target.ToString("0", CultureInfo.InvariantCulture)}, spent {spent.ToString("0", CultureInfo.InvariantCulture)} " +
                          $"({(target > 0 ? (spent / target - 1) : 0).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)}); the share is where the price of a local image left it.");
        else
            sb.AppendLine($"Tracking error: {(t.AchievedShare - t.TargetShare).ToString("+0.000;-0.000", CultureInfo.InvariantCulture)}.");
        sb.AppendLine();
    }

    public static string Markdown(RunResults r, IReadOnlyList<string> charts, string commandLine)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# CollabVlm benchmark: {r.Questions} questions");
        sb.AppendLine();
        if (r.Interrupted)
            sb.AppendLine($"**Interrupted** after {r.Questions} of {r.QuestionsPlanned} questions: the figures cover the questions measured.\n");
        sb.AppendLine($"- command: `{commandLine}`");
        sb.AppendLine($"- data set: `{Path.GetFileName(r.Dataset.TrimEnd('/'))}` ({r.Questions} questions); model: {r.Model}");
        sb.AppendLine($"- η = {r.Threshold.ToString("0.###", CultureInfo.InvariantCulture)} bits of {RunAnalysis.HeadlineSpec}; seed {r.Seed}; link: {r.Link}");
        sb.AppendLine($"- headline mode: **{r.HeadlineMode}**" + (r.HeadlineMode == HeadlineView.ClusterMode
            ? " — global-only, always-retransmit and gated queries travelled edge → server over TCP through the actors (`LoopbackCluster`: one server node, one edge node); random and oracle are composed from those same answers."
            : " — the model called in-process (`--direct`)."));
        sb.AppendLine(r.HeadlineMode == HeadlineView.ClusterMode
            ? "- *direct (replayed)* rows, the sweeps and the AUROCs replay each gate per question on the in-process global pass (its uncertainty under every measure) and the cluster's always-retransmit answer; the RoI figures use the regions the cluster's queries were cut to; full-frame is in-process."
            : "- *direct (replayed)* rows, the sweeps, the AUROCs and the RoI figures replay each gate on the in-process global and refined passes; full-frame is in-process as well.");
        if (r.EdgeScan is { } scan)
            sb.AppendLine(scan
                ? "- regions: the edge scanned each frame for text while the server's global pass ran and snapped the requested region onto it (`Edge:ProposeRegions` on, the default)."
                : "- regions: the server's, as its global pass chose them (`Edge:ProposeRegions` off, `--no-edge-scan`).");
        if (r.DirectClusterAgreement is { } agree)
            sb.AppendLine($"- check: the in-process global pass and the cluster's global-only query gave the same answer on {P(agree)} of the questions.");
        sb.AppendLine("- definitions: docs/evaluation.md, section Figures (extra cost = extra bytes / global-image bytes; retransmission share = extra bytes / always-retransmit's extra bytes; relative compute = model time / global-only model time).");
        sb.AppendLine();
        sb.AppendLine("## Strategies");
        sb.AppendLine();
        sb.Append(HeadlineTable(r));
        sb.AppendLine();
        if (r.BudgetTracking is { } t)
            AppendBudget(sb, t);
        sb.AppendLine("## The bar");
        sb.AppendLine();
        sb.AppendLine("Min-entropy gating should reach ≥ 98 % of always-retransmit accuracy at a retransmission share ≤ 0.25 and beat random at every share.");
        sb.AppendLine();
        AppendBar(sb, r.Bar, r.Threshold);
        if (r.WithoutDistractors is { } plain)
        {
            sb.AppendLine($"## Frames without distractors ({plain.Questions} of {r.Questions} questions)");
            sb.AppendLine();
            sb.AppendLine("Here the sign the question asks about is the only text, so the reader's answer can be right; the same figures:");
            sb.AppendLine();
            sb.Append(StrategyTable(plain.Strategies));
            sb.AppendLine();
            sb.AppendLine("AUROC here: " + string.Join(", ", plain.Measures.Where(m => m.Measure.EndsWith("/Mean", StringComparison.Ordinal)).Select(m => $"{m.Measure} {F3(m.Auroc)}")) + ".");
            sb.AppendLine();
            AppendBar(sb, plain.Bar, r.Threshold);
        }
        sb.AppendLine("## Uncertainty measures (AUROC for \"global answer wrong\", direct)");
        sb.AppendLine();
        sb.AppendLine("| measure / aggregation | AUROC |");
        sb.AppendLine("|---|---|");
        foreach (var m in r.Measures)
            sb.AppendLine($"| {m.Measure} | {F3(m.Auroc)} |");
        sb.AppendLine();
        sb.AppendLine($"## Region of interest ({(r.HeadlineMode == HeadlineView.ClusterMode ? "the RoIs the cluster's server chose for always-retransmit" : "direct")})");
        sb.AppendLine();
        sb.AppendLine(r.RoiHitRate is { } hit
            ? $"Over {r.RoiQuestions} questions with a true box: hit rate (true box centre inside the RoI) {P(hit)}, mean IoU {F3(r.RoiMeanIou ?? 0)} (the RoI is a 640–1280 px square, a sign far smaller, so IoU stays small even for a hit)."
            : "No question has a true box.");
        sb.AppendLine();
        AppendRoiComparison(sb, r);
        sb.AppendLine($"## Breakdown ({r.HeadlineMode})");
        sb.AppendLine();
        sb.AppendLine("| slice | questions | global-only | always | gated | gated retransmitted |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in r.Breakdown)
            sb.AppendLine($"| {row.Slice} | {row.Questions} | {P(row.GlobalOnly)} | {P(row.Always)} | {P(row.Gated)} | {P(row.RetransmittedGated)} |");
        sb.AppendLine();
        sb.AppendLine("On frames with distractor signs the question names the answer sign's colour. The reader (`Model:ReadQuestion`, on by default) " +
                      "answers from the sign of that colour, and weights its relevance map towards it; with `--reader-ignores-question` it reads every " +
                      "line it detects, and its reading then includes any legible distractor and is wrong.");
        sb.AppendLine();
        sb.AppendLine("## Charts");
        sb.AppendLine();
        foreach (var c in charts)
            sb.AppendLine($"![{Path.GetFileNameWithoutExtension(c)}]({Path.GetFileName(c)})");
        return sb.ToString();
    }
}

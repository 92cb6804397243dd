using CollabVlm.Simulation.Evaluation;
using ScottPlot;

namespace CollabVlm.Bench.Runs;

/// <summary>The run's PNG charts (ScottPlot): accuracy vs extra cost and vs share, uncertainty histograms, latency CDF.</summary>
public static class RunCharts
{
    public const string AccuracyVsCost = "accuracy_vs_extra_cost.png";
    public const string AccuracyVsShare = "accuracy_vs_share.png";
    public const string LatencyCdf = "latency_cdf.png";

    private static readonly string[] CurveSpecs = ["MinEntropy/Mean", "Shannon/Mean", "Margin/Mean", "MinEntropy/First"];

    public static IReadOnlyList<string> Write(string folder, RunResults results, IReadOnlyList<QuestionRecord> records)
    {
        var written = new List<string>();
        written.Add(AccuracyChart(folder, results, AccuracyVsCost, p => p.ExtraCost, s => s.ExtraCost, "extra communication cost (extra bytes / global-image bytes)"));
        written.Add(AccuracyChart(folder, results, AccuracyVsShare, p => p.RetransmissionShare, s => s.RetransmissionShare, "retransmission share (extra bytes / always-retransmit extra bytes)", includeFullFrame: false));
        foreach (var spec in new[] { "MinEntropy/Mean", "Shannon/Mean", "Margin/Mean" })
            written.Add(Histogram(folder, spec, records));
        written.Add(Latency(folder, results, records));
        return written;
    }

    private static string AccuracyChart(string folder, RunResults results, string file, Func<SweepPoint, double> x, Func<StrategyFigures, double> sx, string xLabel, bool includeFullFrame = true)
    {
        var plot = new Plot();
        foreach (var curve in results.Sweep.Where(c => CurveSpecs.Contains(c.Measure) || c.Measure.StartsWith("random", StringComparison.Ordinal)))
        {
            var points = curve.Points.OrderBy(x).ToList();
            var line = plot.Add.Scatter(points.Select(x).ToArray(), points.Select(p => p.AccuracyEm).ToArray());
            line.LegendText = curve.Auroc is { } a ? $"{curve.Measure} (AUROC {a:0.00})" : curve.Measure;
            line.MarkerSize = 3;
            if (curve.Measure.StartsWith("random", StringComparison.Ordinal)) line.LinePattern = LinePattern.Dashed;
        }
        // The full-frame upload costs tens of times the global images: drawn at the right edge of a
        // scale that fits the gates, with its true cost in the legend, rather than squashing them.
        var right = results.Strategies.Where(s => !IsFullFrame(s)).Select(sx).DefaultIfEmpty(1).Max() * 1.15;
        foreach (var s in results.Strategies.Where(s => s.Mode != "direct (replayed)"))
        {
            if (IsFullFrame(s) && !includeFullFrame) continue;
            var offScale = IsFullFrame(s) && sx(s) > right;
            var marker = plot.Add.Marker(offScale ? right : sx(s), s.AccuracyEm);
            marker.LegendText = offScale ? $"{s.Name} [{s.Mode}] at {sx(s):0.0}, off scale →" : $"{s.Name} [{s.Mode}]";
            marker.MarkerSize = 10;
            marker.MarkerShape = offScale ? MarkerShape.FilledTriangleUp : MarkerShape.FilledDiamond;
        }
        plot.Axes.SetLimitsX(-0.03 * right, right * 1.03);
        plot.Title($"accuracy (exact match) vs cost, {results.Questions} questions");
        plot.XLabel(xLabel);
        plot.YLabel("accuracy (exact match)");
        plot.ShowLegend(Alignment.LowerRight);
        var path = Path.Combine(folder, file);
        plot.SavePng(path, 1100, 750);
        return path;
    }

    private static bool IsFullFrame(StrategyFigures s) => s.Name.StartsWith("full-frame", StringComparison.Ordinal);

    private static string Histogram(string folder, string spec, IReadOnlyList<QuestionRecord> records)
    {
        var plot = new Plot();
        var scores = records.Select(r => (Score: r.GlobalScores[spec], Right: RunAnalysis.Right(r.GlobalPass.Answer, r.Item))).ToList();
        var title = $"global answer's uncertainty, {spec}";
        if (scores.Count > 0)
        {
            // Empty readings all score the measure's maximum (12.69 bits for the reader), far right of
            // everything else: they get one bar of their own after the bins of the other scores.
            var top = scores.Max(s => s.Score);
            var rest = scores.Where(s => s.Score < top).Select(s => s.Score).DefaultIfEmpty(top).Max();
            var separate = rest < top && top > 2 * rest;
            var upper = Math.Max(separate ? rest : top, 1e-6) * 1.0001;
            const int bins = 30;
            var width = upper / bins;
            foreach (var (label, right, color) in new[] { ("global answer right", true, Colors.SeaGreen), ("global answer wrong", false, Colors.OrangeRed) })
            {
                var counts = new double[bins + 1];
                foreach (var s in scores.Where(s => s.Right == right))
                    counts[separate && s.Score >= top ? bins : Math.Min(bins - 1, (int)(s.Score / width))]++;
                var positions = Enumerable.Range(0, bins + 1).Select(i => (i + 0.5) * width + (i == bins ? width : 0) + (right ? -width / 5 : width / 5)).ToArray();
                var bars = plot.Add.Bars(positions, counts);
                foreach (var bar in bars.Bars) { bar.Size = width * 0.4; bar.FillColor = color; }
                bars.LegendText = label;
            }
            if (separate)
                title += $" (last bar: score {top:0.00}, e.g. nothing read)";
        }
        plot.Title(title);
        plot.XLabel(spec.StartsWith("Margin", StringComparison.Ordinal) ? "1 − (p1 − p2)" : "bits");
        plot.YLabel("questions");
        plot.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(folder, $"uncertainty_{spec.Replace('/', '_').ToLowerInvariant()}.png");
        plot.SavePng(path, 900, 600);
        return path;
    }

    private static string Latency(string folder, RunResults results, IReadOnlyList<QuestionRecord> records)
    {
        var plot = new Plot();
        var view = results.HeadlineMode == HeadlineView.ClusterMode ? HeadlineView.Cluster : HeadlineView.Direct(RunAnalysis.HeadlineSpec, results.Threshold);
        foreach (var (name, pick) in new[] { ("global-only", view.GlobalOnly), ("always-retransmit", view.Always), ("gated", view.Gated) })
        {
            var ms = records.Select(pick).Where(p => p?.Answer is not null).Select(p => p!.LatencyMs).Order().ToArray();
            if (ms.Length == 0) continue;
            var line = plot.Add.Scatter(ms, ms.Select((_, i) => (i + 1.0) / ms.Length).ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LegendText = $"{name} (p50 {Percentiles.NearestRank(ms, 0.5):0} ms, p95 {Percentiles.NearestRank(ms, 0.95):0} ms)";
        }
        plot.Title($"end-to-end latency, {results.HeadlineMode} mode, {results.Link}");
        plot.XLabel("ms");
        plot.YLabel("share of questions answered within");
        plot.ShowLegend(Alignment.LowerRight);
        var path = Path.Combine(folder, LatencyCdf);
        plot.SavePng(path, 900, 600);
        return path;
    }
}

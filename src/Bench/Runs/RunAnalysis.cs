using CollabVlm.Bench.Datasets;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Runs;

/// <summary>Turns per-question records into the figures of docs/evaluation.md ("Figures").</summary>
public static class RunAnalysis
{
    public const double BarShare = 0.25;
    public const double BarRatio = 0.98;

    /// <summary>The in-process always-retransmit pass on a crop around the true box: the ceiling any RoI can reach.</summary>
    public const string TrueBoxRow = "true-box crop (ceiling)";

    /// <summary>The in-process always-retransmit pass with the edge's full-frame text proposals snapping the region.</summary>
    public const string EdgeProposalsRow = "edge proposals + server map";

    /// <summary>The in-process always-retransmit pass with a two-level zoom: a wide, coarse view first, then the tight region its pass points at.</summary>
    public const string TwoLevelZoomRow = "two-level zoom (wide view, then tight)";

    public static string HeadlineSpec { get; } = UncertaintySpec.Default.ToString();

    public static bool Right(string? answer, DatasetItem item) => answer is not null && AnswerScoring.ExactMatch(answer, item.Answers);

    public static double Anls(string? answer, DatasetItem item) => answer is null ? 0 : AnswerScoring.Anls(answer, item.Answers);

    /// <summary>The direct passes of each question as a <see cref="GateCase"/> scored by <paramref name="spec"/>.</summary>
    public static IReadOnlyList<GateCase> Cases(IReadOnlyList<QuestionRecord> records, string spec) =>
        records.Select(r => new GateCase(r.GlobalScores[spec],
            Right(r.GlobalPass.Answer, r.Item), Right(r.RefinedPass.Answer, r.Item),
            Anls(r.GlobalPass.Answer, r.Item), Anls(r.RefinedPass.Answer, r.Item),
            r.GlobalPass.GlobalBytes, r.RefinedPass.LocalBytes,
            r.GlobalPass.ModelMs, Math.Max(0, r.RefinedPass.ModelMs - r.GlobalPass.ModelMs))).ToList();

    public static RunResults Analyse(IReadOnlyList<QuestionRecord> records, RunContext context)
    {
        var results = AnalyseSet(records, context);
        var plain = records.Where(r => r.Item.Distractors == 0).ToList();
        if (plain.Count == 0 || plain.Count == records.Count)
            return results;
        var subset = AnalyseSet(plain, context);
        return results with
        {
            WithoutDistractors = new SubsetFigures(plain.Count,
                subset.Strategies.Where(s => s.Mode != "direct (replayed)" || s.Name.Contains("replayed", StringComparison.Ordinal)).ToList(),
                subset.Measures, subset.Bar),
        };
    }

    private static RunResults AnalyseSet(IReadOnlyList<QuestionRecord> records, RunContext context)
    {
        var headline = context.Direct ? HeadlineView.Direct(HeadlineSpec, context.Threshold) : HeadlineView.Cluster;
        var strategies = Strategies(records, headline, context);
        var budget = context.BudgetBytes is { } bytes ? BudgetInBytes(records, headline, context, bytes, strategies)
            : context.Budget is { } target ? Budget(records, headline, context, target, strategies) : null;
        var sweep = Sweeps(records);
        var measures = sweep.Where(c => c.Auroc is not null).Select(c => new MeasureFigures(c.Measure, c.Auroc!.Value)).ToList();

        var withBox = records.Where(r => r.Item.Box is not null && r.RefinedPass.Roi is not null).ToList();
        var hits = withBox.Select(r => RoiOverlap.Hit(r.RefinedPass.Roi!, TrueBox(r))).ToList();
        var ious = withBox.Select(r => RoiOverlap.IntersectionOverUnion(r.RefinedPass.Roi!, TrueBox(r))).ToList();

        double? agreement = null;
        if (!context.Direct && records.Count > 0)
            agreement = records.Count(r => r.ClusterGlobalOnly?.Answer == r.GlobalPass.Answer) / (double)records.Count;

        return new RunResults
        {
            Dataset = context.DatasetFolder,
            Questions = records.Count,
            QuestionsPlanned = context.Planned,
            Interrupted = context.Interrupted,
            Threshold = context.Threshold,
            Seed = context.Seed,
            HeadlineMode = headline.Mode,
            Link = context.Link,
            Model = context.Model,
            EdgeScan = context.Direct ? null : context.EdgeScan,
            Strategies = strategies,
            Measures = measures,
            RoiHitRate = hits.Count == 0 ? null : hits.Count(h => h) / (double)hits.Count,
            RoiMeanIou = ious.Count == 0 ? null : ious.Average(),
            RoiQuestions = withBox.Count,
            Sweep = sweep,
            Breakdown = Breakdown(records, headline),
            Bar = Bar(records, strategies, sweep),
            DirectClusterAgreement = agreement,
            RoiCandidates = RoiFigures.Candidates(records, headline),
            Bands = RoiFigures.PerBand(records, headline),
            Budget = context.Budget,
            BudgetBytes = context.BudgetBytes,
            BudgetTracking = budget,
        };
    }

    /// <summary>
    /// The budget gate: in cluster mode the gated row itself (the server's budget decided); in direct
    /// mode a row replayed through <see cref="BudgetAnalysis.Replay"/>, added to <paramref name="strategies"/>.
    /// </summary>
    private static BudgetTracking Budget(IReadOnlyList<QuestionRecord> records, HeadlineView view, RunContext context, double target, List<StrategyFigures> strategies)
    {
        if (view.Mode == HeadlineView.ClusterMode && !context.BudgetReplayed)
            return BudgetAnalysis.Track(records, records.Select(r => r.ClusterGated?.Retransmitted == true).ToList(), strategies[2], view.Mode, target,
                context.BudgetWindow, context.Threshold);
        var decisions = BudgetAnalysis.Replay(records, HeadlineSpec, target, context.BudgetWindow, context.Threshold);
        return Replayed(records, view, context, decisions, $"target share {target:0.###}", target, strategies);
    }

    /// <summary>
    /// The byte form (<c>Server:RetransmitBytesPerQuery</c>), replayed in question order in either mode: each
    /// retransmission costs what the headline always-retransmit's local image of that question took.
    /// </summary>
    private static BudgetTracking BudgetInBytes(IReadOnlyList<QuestionRecord> records, HeadlineView view, RunContext context, long bytes, List<StrategyFigures> strategies)
    {
        var (decisions, budget) = BudgetAnalysis.ReplayBytes(records, HeadlineSpec, bytes, context.BudgetWindow, context.Threshold,
            r => view.Always(r)?.LocalBytes ?? 0);
        return Replayed(records, view, context, decisions, $"{bytes} bytes per query", budget.TargetShare, strategies) with
        {
            TargetBytesPerQuery = bytes,
            AchievedBytesPerQuery = budget.AchievedBytesPerQuery,
        };
    }

    private static BudgetTracking Replayed(IReadOnlyList<QuestionRecord> records, HeadlineView view, RunContext context, IReadOnlyList<bool> decisions,
        string target, double targetShare, List<StrategyFigures> strategies)
    {
        var index = records.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
        var figures = Figures($"{BudgetAnalysis.ReplayedName} ({target})", view.Mode, records,
            r => decisions[index[r]] ? view.Always(r) : view.GlobalOnly(r), view,
            note: $"RetransmitBudget over a window of {context.BudgetWindow}, questions in order; η = {context.Threshold:0.###} decides the first");
        strategies.Add(figures);
        return BudgetAnalysis.Track(records, decisions, figures, $"{view.Mode} (replayed)", targetShare, context.BudgetWindow, context.Threshold);
    }

    private static NormalizedBox TrueBox(QuestionRecord r) => r.Item.Box!.In(r.FrameWidth, r.FrameHeight);

    private static List<StrategyFigures> Strategies(IReadOnlyList<QuestionRecord> records, HeadlineView view, RunContext context)
    {
        var mode = view.Mode;
        var list = new List<StrategyFigures>();
        var globalOnly = Figures("global-only", mode, records, view.GlobalOnly, view);
        var always = Figures("always-retransmit", mode, records, view.Always, view);
        var gated = mode == HeadlineView.ClusterMode && context.Budget is { } share && !context.BudgetReplayed
            ? Figures($"gated {HeadlineSpec} (Server:RetransmitBudget = {share:0.###})", mode, records, view.Gated, view)
            : Figures($"gated {HeadlineSpec} (η = {context.Threshold:0.###})", mode, records, view.Gated, view, context.Threshold);
        list.AddRange([globalOnly, always, gated]);

        // Random at the gated strategy's rate, composed from the same questions' global-only and
        // always-retransmit answers (the model is deterministic: a retransmitted question's answer
        // does not depend on who chose to retransmit it). Same for the oracle.
        var rate = records.Count == 0 ? 0 : gated.Retransmitted / (double)records.Count;
        var chosen = GateSimulation.RandomChoice(records.Count, rate, context.Seed);
        var index = records.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
        list.Add(Figures("random at gated's rate", mode, records, r => chosen.Contains(index[r]) ? view.Always(r) : view.GlobalOnly(r), view,
            note: $"seed {context.Seed}; composed from this run's global-only and always answers"));
        list.Add(Figures("oracle (retransmit iff global wrong)", mode, records, r => Right(view.GlobalOnly(r)?.Answer, r.Item) ? view.GlobalOnly(r) : view.Always(r), view,
            note: "composed from this run's global-only and always answers"));

        // The other measures at the headline gate's rate (their η differ in scale, so compare at equal
        // retransmissions), replayed on the direct passes.
        foreach (var spec in DirectEvaluator.Specs.Select(s => s.ToString()).Where(s => s != HeadlineSpec))
        {
            var point = GateSimulation.Sweep(Cases(records, spec)).FirstOrDefault(p => p.Retransmitted <= gated.Retransmitted);
            if (point is null) continue;
            list.Add(FromPoint($"gated {spec} at equal rate", point, records.Count));
        }
        var headlineDirect = GateSimulation.AtThreshold(Cases(records, HeadlineSpec), context.Threshold);
        if (mode == HeadlineView.ClusterMode)
            list.Add(FromPoint($"gated {HeadlineSpec} (η = {context.Threshold:0.###}), replayed", headlineDirect, records.Count));

        foreach (var name in records.SelectMany(r => r.Extra?.Keys ?? []).Distinct().Order(StringComparer.Ordinal))
        {
            var direct = HeadlineView.Direct(HeadlineSpec, context.Threshold);
            list.Add(Figures(name, HeadlineView.DirectMode, records, r => r.Extra?.GetValueOrDefault(name), direct,
                note: name == TrueBoxRow ? "always-retransmit with the region a crop around the recorded answer box" : "always-retransmit, in-process"));
        }

        var sample = records.Where(r => r.FullFrame is not null).ToList();
        if (sample.Count > 0)
        {
            var direct = HeadlineView.Direct(HeadlineSpec, context.Threshold);
            list.Add(Figures("full-frame upload (HD ceiling)", HeadlineView.DirectMode, sample, r => r.FullFrame, direct,
                note: $"{sample.Count} of {records.Count} questions; the whole stored frame uploaded and read at full resolution"));
        }
        return list;
    }

    private static StrategyFigures FromPoint(string name, GatePoint p, int questions) =>
        new(name, "direct (replayed)", p.AccuracyEm, p.AccuracyAnls, p.ExtraCost, p.RetransmissionShare, p.RelativeCompute, null, null, questions, p.Retransmitted, 0,
            double.IsNaN(p.Threshold) ? null : p.Threshold);

    /// <summary>
    /// Figures of a strategy over the questions where <paramref name="pick"/> gives a pass. Extra cost
    /// and share are measured against the global images and the always-retransmit local images of the
    /// same questions in the same view; compute against the same view's global-only model time.
    /// </summary>
    public static StrategyFigures Figures(string name, string mode, IReadOnlyList<QuestionRecord> records, Func<QuestionRecord, PassResult?> pick, HeadlineView view,
        double? threshold = null, string? note = null)
    {
        var rows = records.Select(r => (Record: r, Pass: pick(r))).Where(p => p.Pass is not null).ToList();
        var answered = rows.Where(p => p.Pass!.Answer is not null).ToList();
        var n = Math.Max(rows.Count, 1);
        double globalRef = answered.Sum(p => (double)p.Record.GlobalPass.GlobalBytes);
        double extra = answered.Sum(p => (double)(p.Pass!.GlobalBytes + p.Pass.LocalBytes - p.Record.GlobalPass.GlobalBytes));
        double alwaysExtra = answered.Sum(p => (double)(view.Always(p.Record)?.LocalBytes ?? 0));
        double computeRef = answered.Sum(p => view.GlobalOnly(p.Record)?.ModelMs ?? 0);
        var latencies = answered.Select(p => p.Pass!.LatencyMs).Order().ToList();
        return new StrategyFigures(name, mode,
            rows.Count(p => Right(p.Pass!.Answer, p.Record.Item)) / (double)n,
            rows.Sum(p => Anls(p.Pass!.Answer, p.Record.Item)) / n,
            globalRef > 0 ? extra / globalRef : 0,
            alwaysExtra > 0 ? extra / alwaysExtra : 0,
            computeRef > 0 ? answered.Sum(p => p.Pass!.ModelMs) / computeRef : 0,
            latencies.Count > 0 ? Percentiles.NearestRank(latencies, 0.5) : null,
            latencies.Count > 0 ? Percentiles.NearestRank(latencies, 0.95) : null,
            rows.Count, rows.Count(p => p.Pass!.Retransmitted), rows.Count - answered.Count, threshold, note);
    }

    private static List<SweepCurve> Sweeps(IReadOnlyList<QuestionRecord> records)
    {
        var curves = new List<SweepCurve>();
        if (records.Count == 0) return curves;
        foreach (var spec in DirectEvaluator.Specs.Select(s => s.ToString()))
        {
            var cases = Cases(records, spec);
            var auroc = Auroc.Of(cases.Select(c => c.Uncertainty).ToList(), cases.Select(c => !c.GlobalRight).ToList());
            curves.Add(new SweepCurve(spec, double.IsNaN(auroc) ? null : auroc, GateSimulation.Sweep(cases).Select(ToSweepPoint).ToList()));
        }
        var headlineCases = Cases(records, HeadlineSpec);
        var rates = Enumerable.Range(0, 21).Select(i => i / 20.0);
        curves.Add(new SweepCurve("random (expected)", null, rates.Select(r => ToSweepPoint(GateSimulation.RandomExpected(headlineCases, r))).ToList()));
        return curves;
    }

    private static SweepPoint ToSweepPoint(GatePoint p) =>
        new(double.IsNaN(p.Threshold) ? null : p.Threshold, p.AccuracyEm, p.AccuracyAnls, p.ExtraCost, p.RetransmissionShare, p.Retransmitted);

    private static List<BreakdownRow> Breakdown(IReadOnlyList<QuestionRecord> records, HeadlineView view)
    {
        var slices = new List<(string Name, Func<QuestionRecord, bool> Has)>
        {
            ("text 8–15 px", r => r.Item.TextHeightPx is >= 8 and <= 15),
            ("text 16–23 px", r => r.Item.TextHeightPx is >= 16 and <= 23),
            ("text 24–39 px", r => r.Item.TextHeightPx is >= 24 and <= 39),
            ("text 40–64 px", r => r.Item.TextHeightPx is >= 40 and <= 64),
            ("no distractor", r => r.Item.Distractors == 0),
            ("with distractors", r => r.Item.Distractors > 0),
            ("all", _ => true),
        };
        var rows = new List<BreakdownRow>();
        foreach (var (name, has) in slices)
        {
            var part = records.Where(has).ToList();
            if (part.Count == 0) continue;
            double Acc(Func<QuestionRecord, PassResult?> pick) => part.Count(r => Right(pick(r)?.Answer, r.Item)) / (double)part.Count;
            rows.Add(new BreakdownRow(name, part.Count, Acc(view.GlobalOnly), Acc(view.Always), Acc(view.Gated),
                part.Count(r => view.Gated(r)?.Retransmitted == true) / (double)part.Count));
        }
        return rows;
    }

    private static BarVerdict Bar(IReadOnlyList<QuestionRecord> records, IReadOnlyList<StrategyFigures> strategies, IReadOnlyList<SweepCurve> sweep)
    {
        var always = strategies[1];
        var gated = strategies[2];
        var ratio = always.AccuracyEm > 0 ? gated.AccuracyEm / always.AccuracyEm : 0;
        var curve = sweep.FirstOrDefault(c => c.Measure == HeadlineSpec);
        if (curve is null || records.Count == 0)
            return new BarVerdict(ratio, gated.RetransmissionShare, 0, null, null, 0, 0, false);

        var directAlways = curve.Points[0].AccuracyEm; // the sweep starts at "retransmit everything"
        var within = curve.Points.Where(p => p.RetransmissionShare <= BarShare + 1e-12).ToList();
        var best = within.MaxBy(p => p.AccuracyEm)!;
        var bestRatio = directAlways > 0 ? best.AccuracyEm / directAlways : 0;
        var reaching = curve.Points.Where(p => p.AccuracyEm >= BarRatio * directAlways - 1e-12).ToList();
        double? shareNeeded = reaching.Count == 0 ? null : reaching.Min(p => p.RetransmissionShare);

        var cases = Cases(records, HeadlineSpec);
        var compared = curve.Points.Where(p => p.Retransmitted > 0 && p.Retransmitted < records.Count).ToList();
        var beating = compared.Count(p => p.AccuracyEm > GateSimulation.RandomExpected(cases, p.Retransmitted / (double)records.Count).AccuracyEm + 1e-12);
        return new BarVerdict(ratio, gated.RetransmissionShare, bestRatio, best.Threshold, shareNeeded, beating, compared.Count,
            bestRatio >= BarRatio && beating == compared.Count);
    }
}

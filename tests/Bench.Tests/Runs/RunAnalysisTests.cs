using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Tests.Runs;

public sealed class RunAnalysisTests
{
    private static readonly string[] Specs = SpecNames.All();

    // Question i: global image 1000 bytes, local image 3000 bytes; the global answer is right for
    // the first two, the refined one for all but the last. Uncertainty rises with i.
    private static QuestionRecord Record(int i, bool globalRight, bool refinedRight, double score, int distractors = 0, long localBytes = 3000)
    {
        var item = new DatasetItem($"q{i}", $"images/q{i}.jpg", "What does the sign say?", ["EXIT"], new PixelBox(100, 100, 200, 150))
        {
            TextHeightPx = 10 + 10 * i,
            Distractors = distractors,
        };
        var roi = NormalizedBox.Create(0, 0, 0.5, 0.5);
        var global = new PassResult(globalRight ? "EXIT" : "EXT", 1000, 0, 10, 50, false);
        var refined = new PassResult(refinedRight ? "exit" : "", 1000, localBytes, 30, 150, true, roi, Stage: AnswerStage.Refined);
        var gated = score > 0.35 ? refined : global;
        return new QuestionRecord(item, 500_000, 1000, 1000, Specs.ToDictionary(s => s, _ => score), global, refined, global, refined, gated, null);
    }

    private static readonly QuestionRecord[] Records =
    [
        Record(0, true, true, 0.05), Record(1, true, true, 0.2), Record(2, false, true, 1.5, distractors: 1), Record(3, false, false, 3.0),
    ];

    private static RunResults Analyse() =>
        RunAnalysis.Analyse(Records, new RunContext("/data/set", 4, false, 0.35, 7, Direct: false, "loopback", "test model"));

    [Fact]
    public void Headline_strategies_have_the_figures_of_design_section_7()
    {
        var r = Analyse();
        var globalOnly = r.Strategies.Single(s => s.Name == "global-only");
        var always = r.Strategies.Single(s => s.Name == "always-retransmit");
        var gated = r.Strategies.Single(s => s.Name.StartsWith("gated MinEntropy/Mean (η", StringComparison.Ordinal) && s.Mode == "cluster");
        Assert.Equal(0.5, globalOnly.AccuracyEm);
        Assert.Equal(0.75, always.AccuracyEm);
        // Always: 4 × 3000 extra bytes over 4 × 1000 global bytes.
        Assert.Equal(3.0, always.ExtraCost, 9);
        Assert.Equal(1.0, always.RetransmissionShare, 9);
        Assert.Equal(3.0, always.RelativeCompute, 9);
        // Gated retransmits questions 2 and 3: right = 0, 1, 2.
        Assert.Equal(2, gated.Retransmitted);
        Assert.Equal(0.75, gated.AccuracyEm);
        Assert.Equal(1.5, gated.ExtraCost, 9);
        Assert.Equal(0.5, gated.RetransmissionShare, 9);
        Assert.Equal(50, globalOnly.LatencyP50Ms);
    }

    [Theory]
    [InlineData(true, "`Edge:ProposeRegions` on")]
    [InlineData(false, "`Edge:ProposeRegions` off")]
    public void The_report_says_whose_regions_the_cluster_cut_and_keeps_it_in_the_results(bool scan, string said)
    {
        var r = RunAnalysis.Analyse(Records, new RunContext("/data/set", 4, false, 0.35, 7, Direct: false, "loopback", "test model", EdgeScan: scan));

        Assert.Equal(scan, r.EdgeScan);
        Assert.Contains(said, RunReport.Markdown(r, [], "collabvlm-bench run"));
        // Direct mode has no edge: nothing to say.
        Assert.Null(RunAnalysis.Analyse(Records, new RunContext("/data/set", 4, false, 0.35, 7, Direct: true, "loopback", "test model", EdgeScan: scan)).EdgeScan);
    }

    [Fact]
    public void The_oracle_and_random_are_composed_from_the_same_answers()
    {
        var r = Analyse();
        var oracle = r.Strategies.Single(s => s.Name.StartsWith("oracle", StringComparison.Ordinal));
        var random = r.Strategies.Single(s => s.Name.StartsWith("random", StringComparison.Ordinal));
        Assert.Equal(2, oracle.Retransmitted);
        Assert.Equal(0.75, oracle.AccuracyEm);
        Assert.Equal(2, random.Retransmitted); // the gated rate
        Assert.Contains("seed 7", random.Note);
    }

    [Fact]
    public void Auroc_roi_breakdown_and_bar_are_reported()
    {
        var r = Analyse();
        // Scores rise with i and exactly the last two global answers are wrong: a perfect ranking.
        Assert.All(r.Measures, m => Assert.Equal(1.0, m.Auroc, 9));
        // The true box's centre (150, 125) of a 1000 px frame lies in the RoI [0, 0.5]².
        Assert.Equal(1.0, r.RoiHitRate);
        Assert.Equal(4, r.RoiQuestions);
        Assert.Contains(r.Breakdown, b => b.Slice == "with distractors" && b.Questions == 1);
        // Gated equals always-retransmit accuracy at share 0.5 here: above 0.25, so the bar is not met.
        Assert.Equal(1.0, r.Bar.HeadlineAccuracyRatio, 9);
        Assert.Equal(0.5, r.Bar.ShareNeededFor98Percent!.Value, 9);
        Assert.False(r.Bar.Met);
        Assert.Equal(1.0, r.DirectClusterAgreement);
    }

    [Fact]
    public void The_byte_form_of_the_budget_is_replayed_at_each_questions_local_image_price_and_reported_in_bytes()
    {
        // 40 questions in a shuffled order of uncertainty (a steadily rising one would make every answer the least sure
        // yet); each local image costs 50 000 bytes, so 12 500 bytes per query is a quarter of them.
        var records = Enumerable.Range(0, 40).Select(i => Record(i, i < 20, true, i * 17 % 40 / 10.0, localBytes: 50_000)).ToList();
        var r = RunAnalysis.Analyse(records, new RunContext("/data/set", 40, false, 0.35, 7, Direct: false, "loopback", "test model", BudgetBytes: 12_500));

        var t = r.BudgetTracking!;
        Assert.Equal(12_500, t.TargetBytesPerQuery);
        Assert.Equal(0.25, t.TargetShare, 6);                            // 12 500 of 50 000 bytes, once an image was priced
        Assert.InRange(t.AchievedBytesPerQuery!.Value, 11_250, 13_750);   // within one image over the 40 questions
        Assert.InRange(t.AchievedShare, 0.2, 0.3);
        Assert.Contains(r.Strategies, s => s.Name.Contains("12500 bytes per query", StringComparison.Ordinal));
        Assert.Contains("RetransmitBytesPerQuery", RunReport.Markdown(r, [], "collabvlm-bench report --budget-bytes 12500"));
    }
}

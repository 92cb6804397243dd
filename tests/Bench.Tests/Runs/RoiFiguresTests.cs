using CollabVlm.Bench.Datasets;
using CollabVlm.Bench.Runs;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Bench.Tests.Runs;

public sealed class RoiFiguresTests
{
    // A 1000×1000 frame with the answer at (100–200, 100–150): the server's RoI misses it, the true-box crop holds it.
    private static QuestionRecord Record(int height, bool serverHits)
    {
        var item = new DatasetItem($"q{height}", "images/q.jpg", "What does the sign say?", ["EXIT"], new PixelBox(100, 100, 200, 150)) { TextHeightPx = height };
        var global = new PassResult("", 1000, 0, 10, 50, false);
        var server = new PassResult(serverHits ? "EXIT" : "", 1000, 3000, 30, 150, true,
            serverHits ? NormalizedBox.Create(0, 0, 0.5, 0.5) : NormalizedBox.Create(0.5, 0.5, 1, 1), Stage: AnswerStage.Refined);
        var truth = new PassResult("EXIT", 1000, 2500, 30, 140, true, NormalizedBox.Create(0, 0, 0.4, 0.4), Stage: AnswerStage.Refined) { TransferMs = 60 };
        var edge = new PassResult("EXIT", 1000, 2600, 30, 160, true, NormalizedBox.Create(0.05, 0.05, 0.45, 0.45), Stage: AnswerStage.Refined)
            { HintBytes = 300, EdgeMs = 900, TransferMs = 70 };
        return new QuestionRecord(item, 500_000, 1000, 1000, new Dictionary<string, double> { ["x"] = 1 }, global, server, null, null, null, null,
            new Dictionary<string, PassResult> { [RunAnalysis.TrueBoxRow] = truth, [RunAnalysis.EdgeProposalsRow] = edge });
    }

    private static readonly QuestionRecord[] Records = [Record(10, false), Record(11, true), Record(63, true)];
    private static readonly HeadlineView View = HeadlineView.Direct("x", 0.35);

    [Fact]
    public void Candidates_compare_hits_accuracy_bytes_edge_time_and_latency_with_the_ceiling_last()
    {
        var c = RoiFigures.Candidates(Records, View);
        Assert.Equal(3, c.Count);
        Assert.StartsWith("always-retransmit", c[0].Name);
        Assert.Equal(RunAnalysis.EdgeProposalsRow, c[1].Name);
        Assert.Equal(RunAnalysis.TrueBoxRow, c[2].Name);
        Assert.Equal(2 / 3.0, c[0].RoiHitRate!.Value, 9);
        Assert.Equal(1.0, c[1].RoiHitRate!.Value, 9);
        Assert.Equal(2900, c[1].ExtraBytesPerQuestion, 9); // local image + the server's map
        Assert.Equal(900, c[1].EdgeMsP50);
        Assert.Null(c[0].EdgeMsP50);
        Assert.Equal(230, c[1].LatencyP50Ms); // compute 160 + transfer 70
        Assert.Equal(1.0, c[2].AccuracyEm, 9);
    }

    [Fact]
    public void A_runner_up_that_holds_the_answer_counts_in_its_own_column_and_only_where_one_was_sent()
    {
        Assert.All(RoiFigures.Candidates(Records, View), c => Assert.Null(c.RoiOrRunnerUpHitRate));
        // The server's region misses on the first record; a runner-up beside it holds the answer box's centre (150, 125).
        var withRunnerUp = Records.Select((r, i) => i > 0 ? r
            : r with { RefinedPass = r.RefinedPass with { RunnersUp = [NormalizedBox.Create(0.12, 0.1, 0.18, 0.15)] } }).ToList();
        var headline = RoiFigures.Candidates(withRunnerUp, View)[0];
        Assert.Equal(2 / 3.0, headline.RoiHitRate!.Value, 9); // the region alone, as before
        Assert.Equal(1.0, headline.RoiOrRunnerUpHitRate!.Value, 9);
        Assert.False(RoiFigures.Hit(withRunnerUp[0], withRunnerUp[0].RefinedPass));
        Assert.True(RoiFigures.HitWithRunnersUp(withRunnerUp[0], withRunnerUp[0].RefinedPass));
    }

    [Fact]
    public void Bands_count_hits_and_right_answers_per_choice()
    {
        var bands = RoiFigures.PerBand(Records, View);
        Assert.Equal(["≈10 px", "≈63 px"], bands.Select(b => b.Band));
        var small = bands[0];
        Assert.Equal(2, small.Questions);
        Assert.Equal(1, small.RoiHits[RoiFigures.Choices(Records, View)[0].Name]);
        Assert.Equal(2, small.RoiHits[RunAnalysis.EdgeProposalsRow]);
        Assert.Equal(2, small.Right[RunAnalysis.TrueBoxRow]);
    }

    [Fact]
    public void A_headline_whose_regions_the_edge_snapped_says_so()
    {
        Assert.EndsWith("server RoI)", RoiFigures.Choices(Records, View)[0].Name);
        var snapped = Records.Select(r => r with { RefinedPass = r.RefinedPass with { EdgeMs = 4200, EdgeTilesDone = 2, EdgeTilesPlanned = 6 } }).ToList();
        Assert.EndsWith("server RoI snapped by edge proposals)", RoiFigures.Choices(snapped, View)[0].Name);
        Assert.Equal(4200, RoiFigures.Candidates(snapped, View)[0].EdgeMsP50);
    }
}

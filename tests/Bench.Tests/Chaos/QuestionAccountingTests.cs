using CollabVlm.Bench.Chaos;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.Tests.Chaos;

public sealed class QuestionAccountingTests
{
    private const long Start = 1_000_000;

    private static OutcomeLine Asked(string q, long at) => new(OutcomeLine.Asked, q, 0, q, Start + at);

    private static OutcomeLine Answered(string q, long at, string stage, double ms) => new(OutcomeLine.Ended, q, 0, q, Start + at, OutcomeLine.Answered, stage, LatencyMs: ms, Attempts: 1);

    private static OutcomeLine Failed(string q, long at, string reason, double ms) => new(OutcomeLine.Ended, q, 0, q, Start + at, OutcomeLine.Failed, Reason: reason, LatencyMs: ms);

    private static ChaosTally Tally(int expected, params (string Edge, OutcomeLine[] Lines)[] logs) =>
        QuestionAccounting.Tally(logs.ToDictionary(l => l.Edge, l => (IReadOnlyList<OutcomeLine>)l.Lines), expected, Start);

    [Fact]
    public void Every_asked_question_is_answered_failed_or_lost_exactly_once()
    {
        var tally = Tally(6,
            ("edge0", [
                Asked("1/c0-0", 0), Asked("1/c1-0", 100), Asked("1/c2-0", 200),
                Answered("1/c0-0", 1500, "Global", 1500), Failed("1/c1-0", 2100, "Timeout", 2000),
                // c2-0 never ends: lost.
            ]),
            ("edge1", [
                // The same question name on another edge is another question.
                Asked("1/c0-0", 300), Answered("1/c0-0", 3300, "Refined", 3000),
                Asked("1/c1-0", 400), new OutcomeLine(OutcomeLine.Ended, "1/c1-0", 1, "x", Start + 9000, OutcomeLine.NoOutcome, LatencyMs: 8600),
            ]));
        Assert.Equal((6, 5, 2, 1, 2), (tally.Expected, tally.Asked, tally.Answered, tally.Failed, tally.Lost));
        Assert.Equal(1, tally.NotAsked);
        Assert.Equal((1, 1), (tally.LostWithoutLine, tally.LostDeviceSilent));
        Assert.Equal(new Dictionary<string, int> { ["Global"] = 1, ["Refined"] = 1 }, tally.AnsweredByStage);
        Assert.Equal(new Dictionary<string, int> { ["Timeout"] = 1 }, tally.FailedByReason);
        Assert.Equal(["edge0/1/c2-0", "edge1/1/c1-0"], tally.LostQuestions);
        Assert.Equal(0, tally.Duplicates);
    }

    [Fact]
    public void A_second_outcome_for_a_question_is_a_duplicate_and_the_first_one_counts()
    {
        var tally = Tally(1, ("edge0", [Asked("1/c0-0", 0), Answered("1/c0-0", 1000, "Global", 1000), Failed("1/c0-0", 1200, "Timeout", 1200)]));
        Assert.Equal((1, 0, 0, 1), (tally.Answered, tally.Failed, tally.Lost, tally.Duplicates));
    }

    [Fact]
    public void An_outcome_without_its_question_is_counted_apart_and_not_as_answered()
    {
        var tally = Tally(1, ("edge0", [Answered("1/c0-0", 1000, "Global", 1000)]));
        Assert.Equal((0, 0, 0, 1), (tally.Asked, tally.Answered, tally.Lost, tally.EndedWithoutAsk));
    }

    [Fact]
    public void The_timeline_counts_outcomes_by_when_they_ended_and_losses_by_when_they_were_asked()
    {
        var tally = Tally(3, ("edge0", [
            Asked("1/a", 0), Asked("1/b", 500), Asked("1/c", 2500),
            Answered("1/a", 1200, "Global", 1200), Failed("1/b", 3100, "Busy", 2600),
        ]));
        Assert.Equal(
            [new TimelineSecond(0, 0, 0, 0), new TimelineSecond(1, 1, 0, 0), new TimelineSecond(2, 0, 0, 1), new TimelineSecond(3, 0, 1, 0)],
            tally.Timeline);
    }

    [Fact]
    public void Latency_percentiles_are_nearest_rank_over_answered_and_failed_questions()
    {
        var lines = new List<OutcomeLine>();
        for (var i = 1; i <= 100; i++)
        {
            lines.Add(Asked($"1/q{i}", i));
            lines.Add(i % 10 == 0 ? Failed($"1/q{i}", i + i * 10, "Busy", i * 10) : Answered($"1/q{i}", i + i * 10, "Global", i * 10));
        }
        var tally = Tally(100, ("edge0", lines.ToArray()));
        Assert.Equal((500, 950, 990, 1000), (tally.LatencyP50Ms, tally.LatencyP95Ms, tally.LatencyP99Ms, tally.LatencyMaxMs));
    }

    [Fact]
    public void No_questions_give_zero_figures_rather_than_an_error()
    {
        var tally = Tally(0, ("edge0", []));
        Assert.Equal((0, 0, 0.0, 0.0), (tally.Asked, tally.Lost, tally.LatencyP95Ms, tally.AnsweredShare));
        Assert.Empty(tally.Timeline);
    }

    [Fact]
    public void A_torn_last_line_is_skipped_when_a_log_is_read()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, [Asked("1/a", 0).ToJson(), Answered("1/a", 10, "Global", 10).ToJson(), "{\"event\":\"ask"]);
            Assert.Equal(2, QuestionAccounting.Read(path).Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_run_fails_when_a_question_is_lost_or_ends_twice()
    {
        static ChaosResults Results(ChaosTally tally) => new("loopback", 1, 1, 1, 1, 1, 30, "", "", [], [], tally, 1, true);
        Assert.Equal(0, Results(Tally(1, ("edge0", [Asked("1/a", 0), Answered("1/a", 10, "Global", 10)]))).ExitCode);
        Assert.Equal(1, Results(Tally(1, ("edge0", [Asked("1/a", 0)]))).ExitCode);
        Assert.Equal(1, Results(Tally(1, ("edge0", [Asked("1/a", 0), Answered("1/a", 10, "Global", 10), Answered("1/a", 20, "Global", 20)]))).ExitCode);
    }
}

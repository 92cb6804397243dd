using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Gate;

namespace CollabVlm.TwoStage.Tests.Gate;

public sealed class RetransmitBudgetTests
{
    /// <summary>Uncertainties of one kind of scene: a sure majority, an unsure tail, many empty readings at the top.</summary>
    private static IEnumerable<double> Scenes(int seed, int count, double scale, double emptyShare)
    {
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
            yield return rng.NextDouble() < emptyShare ? 12.7 : scale * Math.Pow(rng.NextDouble(), 3);
    }

    [Theory]
    [InlineData(0.3, 0.2, 0.0)]   // easy scenes
    [InlineData(0.3, 3.0, 0.5)]   // hard scenes: half the answers tie at the top
    [InlineData(0.1, 1.0, 0.3)]
    [InlineData(0.6, 0.05, 0.0)]
    public void Achieves_the_target_share_whatever_the_scenes(double target, double scale, double emptyShare)
    {
        var budget = new RetransmitBudget(target, 200);
        foreach (var u in Scenes(7, 400, scale, emptyShare)) budget.Decide(u, fallbackThreshold: 0.35);
        Assert.Equal(400, budget.Decisions);
        Assert.InRange(budget.AchievedShare, target - 0.02, target + 0.02);
    }

    [Fact]
    public void Keeps_the_share_across_a_change_of_scenes_where_a_fixed_eta_does_not()
    {
        var budget = new RetransmitBudget(0.25, 100);
        var easy = Scenes(1, 200, 0.3, 0).ToList();
        var hard = Scenes(2, 200, 4.0, 0.4).ToList();
        var decisions = easy.Concat(hard).Select(u => budget.Decide(u, 0.35).Retransmit).ToList();
        var onHard = decisions.Skip(300).Count(d => d) / 100.0; // after the window has turned over
        Assert.InRange(onHard, 0.2, 0.3);
        Assert.True(hard.Count(u => u > 0.35) / 200.0 > 0.6); // the fixed η would retransmit most of them
    }

    [Fact]
    public void Retransmits_the_least_sure_answers()
    {
        var budget = new RetransmitBudget(0.2, 50);
        var rng = new Random(3);
        var decided = Enumerable.Range(0, 300).Select(_ => rng.NextDouble()).Select(u => (u, budget.Decide(u, 0.5).Retransmit)).Skip(50).ToList();
        var retransmitted = decided.Where(d => d.Retransmit).Select(d => d.u).ToList();
        var kept = decided.Where(d => !d.Retransmit).Select(d => d.u).ToList();
        Assert.True(retransmitted.Average() > 0.75 && kept.Average() < 0.5);
    }

    [Fact]
    public void Is_deterministic_and_holds_the_first_answer_to_the_fixed_eta()
    {
        var values = Scenes(5, 100, 2.0, 0.3).ToList();
        var a = new RetransmitBudget(0.3, 40);
        var b = new RetransmitBudget(0.3, 40);
        Assert.Equal(values.Select(u => a.Decide(u, 0.35)), values.Select(u => b.Decide(u, 0.35)));
        Assert.Equal((true, 0.35), new RetransmitBudget(0.0, 10).Decide(0.4, 0.35));
        Assert.Equal((false, 0.35), new RetransmitBudget(1.0, 10).Decide(0.3, 0.35));
    }

    [Fact]
    public void Zero_and_one_are_never_and_always_after_the_first_answer()
    {
        var none = new RetransmitBudget(0, 20);
        var all = new RetransmitBudget(1, 20);
        var values = Scenes(9, 60, 2.0, 0.2).ToList();
        Assert.DoesNotContain(values.Skip(1).Select(u => none.Decide(u, 0.35).Retransmit).Skip(1), d => d);
        Assert.All(values.Select(u => all.Decide(u, 0.35).Retransmit).Skip(1), Assert.True);
    }

    /// <summary>Runs a byte budget over scenes, reporting each retransmission's bytes <paramref name="lag"/> decisions later, as transfers finish.</summary>
    private static List<bool> SpendBytes(RetransmitBudget budget, IEnumerable<double> scenes, Func<int, long> imageBytes, int lag)
    {
        var pending = new Queue<long>();
        var decisions = new List<bool>();
        foreach (var (u, i) in scenes.Select((u, i) => (u, i)))
        {
            var retransmit = budget.Decide(u, 0.35).Retransmit;
            decisions.Add(retransmit);
            if (retransmit) pending.Enqueue(imageBytes(i));
            while (pending.Count > lag) budget.Spent(pending.Dequeue());
        }
        while (pending.Count > 0) budget.Spent(pending.Dequeue());
        return decisions;
    }

    [Theory]
    [InlineData(15_000, 60_000, 0)]   // a quarter of the queries
    [InlineData(15_000, 60_000, 6)]   // the same, bytes reported six decisions late
    [InlineData(40_000, 50_000, 3)]   // most of them
    public void The_byte_form_spends_the_bytes_per_query_it_was_set(long bytesPerQuery, long imageBytes, int lag)
    {
        var budget = RetransmitBudget.OfBytes(bytesPerQuery, 200, priorLocalBytes: 64 * 1024);
        var decisions = SpendBytes(budget, Scenes(11, 400, 2.0, 0.3), _ => imageBytes, lag);

        Assert.Equal(bytesPerQuery, budget.BytesPerQuery);
        Assert.InRange(budget.AchievedBytesPerQuery, bytesPerQuery * 0.95, bytesPerQuery * 1.05);
        Assert.InRange(decisions.Count(d => d) / 400.0, bytesPerQuery / (double)imageBytes - 0.03, bytesPerQuery / (double)imageBytes + 0.03);
        Assert.Equal(bytesPerQuery / (double)imageBytes, budget.TargetShare, 3);
    }

    [Fact]
    public void The_byte_form_retransmits_fewer_answers_when_local_images_grow_and_keeps_the_bytes()
    {
        var budget = RetransmitBudget.OfBytes(20_000, 100, priorLocalBytes: 64 * 1024);
        // 40 kB local images for 300 queries, then 120 kB (a camera that zooms in on busier scenes).
        var decisions = SpendBytes(budget, Scenes(4, 600, 2.0, 0.2), i => i < 300 ? 40_000 : 120_000, lag: 2);

        var before = decisions.Skip(100).Take(200).Count(d => d) / 200.0;
        var after = decisions.Skip(400).Count(d => d) / 200.0;
        Assert.InRange(before, 0.45, 0.55);            // 20 kB of 40 kB images
        Assert.InRange(after, 0.12, 0.22);             // 20 kB of 120 kB images
        Assert.InRange(budget.AchievedBytesPerQuery, 19_000, 21_000);
    }

    [Fact]
    public void The_byte_form_prices_by_its_prior_until_an_image_arrives_and_refuses_nonsense()
    {
        var budget = RetransmitBudget.OfBytes(16 * 1024, 50, priorLocalBytes: 64 * 1024);
        Assert.Equal(0.25, budget.TargetShare, 6);
        budget.Spent(32 * 1024);
        Assert.Equal(0.5, budget.TargetShare, 6); // the first real image replaces the prior
        budget.Spent(0);                           // a transfer that sent nothing makes images look cheaper, never free
        Assert.InRange(budget.TargetShare, 0.5, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => RetransmitBudget.OfBytes(-1, 50, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetransmitBudget.OfBytes(1000, 50, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => budget.Spent(-5));
        Assert.Null(new RetransmitBudget(0.2, 10).BytesPerQuery);
    }

    [Fact]
    public void A_node_takes_the_byte_form_from_its_settings_and_refuses_both_forms_at_once()
    {
        var bytes = RetransmitBudget.For(new ServerSettings { RetransmitBytesPerQuery = 8192 });
        Assert.Equal(8192, bytes!.BytesPerQuery);
        Assert.Equal(8192.0 / new ServerSettings().MinLocalBytes, bytes.TargetShare, 6);
        Assert.Null(RetransmitBudget.For(new ServerSettings()));
        Assert.Contains("not both", new ServerSettings { RetransmitBudget = 0.2, RetransmitBytesPerQuery = 8192 }.Validate());
        Assert.Contains("RetransmitBytesPerQuery", new ServerSettings { RetransmitBytesPerQuery = -1 }.Validate());
    }

    [Fact]
    public void Refuses_a_share_outside_zero_to_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmitBudget(1.5, 10));

    [Fact]
    public void The_gate_lets_a_query_eta_win_then_the_budget_then_the_node_eta()
    {
        var sure = new ModelOutput("ok", [new TokenStat(0.9, 0.05, 0.5)], RelevanceMap.Uniform(1, 1), 100, TimeSpan.Zero); // H∞ ≈ 0.152
        var settings = new ServerSettings { Threshold = 0.35, RetransmitBudget = 1.0 };
        var budget = RetransmitBudget.For(settings)!;
        RetransmitGate.Decide(sure, settings, RetransmitPolicy.Gated, null, budget); // the first one is held to η
        var byBudget = RetransmitGate.Decide(sure, settings, RetransmitPolicy.Gated, null, budget);
        Assert.True(byBudget.Retransmit); // a budget of everything retransmits even a sure answer
        Assert.True(byBudget.ByBudget);   // so its bytes are reported back to the budget

        var byQuery = RetransmitGate.Decide(sure, settings, RetransmitPolicy.Gated, 0.1, budget);
        Assert.True(byQuery.Retransmit);
        Assert.False(byQuery.ByBudget);
        Assert.Equal(0.1, byQuery.Threshold);
        Assert.False(RetransmitGate.Decide(sure, settings, RetransmitPolicy.Gated, 0.2, budget).Retransmit);
        Assert.False(RetransmitGate.Decide(sure, settings, RetransmitPolicy.Never, null, budget).Retransmit);
        Assert.Equal(2, budget.Decisions); // only gated queries without their own η reach the budget

        var fixedEta = RetransmitGate.Decide(sure, settings with { RetransmitBudget = null }, RetransmitPolicy.Gated, null, null);
        Assert.False(fixedEta.Retransmit);
        Assert.Null(RetransmitBudget.For(new ServerSettings()));
    }
}

using CollabVlm.Simulation.Evaluation;
using CollabVlm.TwoStage.Gate;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// The budget gate's figures. In direct mode its decisions are replayed through the production
/// <see cref="RetransmitBudget"/> on the in-process global scores, in question order, as one node
/// would take them; in cluster mode they are the cluster's gated queries, which the server node's
/// budget decided.
/// </summary>
public static class BudgetAnalysis
{
    public const string ReplayedName = "budget gate, replayed";

    /// <summary>Which questions a fresh node budget retransmits, asked in order (η decides the first).</summary>
    public static IReadOnlyList<bool> Replay(IReadOnlyList<QuestionRecord> records, string spec, double targetShare, int window, double threshold)
    {
        var budget = new RetransmitBudget(targetShare, window);
        return records.Select(r => budget.Decide(r.GlobalScores[spec], threshold).Retransmit).ToList();
    }

    /// <summary>
    /// The byte form replayed: a fresh node budget of <paramref name="bytesPerQuery"/>, each retransmission reported at
    /// <paramref name="localBytes"/> of its question as soon as it is decided.
    /// </summary>
    public static (IReadOnlyList<bool> Decisions, RetransmitBudget Budget) ReplayBytes(IReadOnlyList<QuestionRecord> records, string spec, long bytesPerQuery,
        int window, double threshold, Func<QuestionRecord, long> localBytes)
    {
        var budget = RetransmitBudget.OfBytes(bytesPerQuery, window, new TwoStage.ServerSettings().MinLocalBytes);
        var decisions = records.Select(r =>
        {
            var retransmit = budget.Decide(r.GlobalScores[spec], threshold).Retransmit;
            if (retransmit) budget.Spent(localBytes(r));
            return retransmit;
        }).ToList();
        return (decisions, budget);
    }

    public static BudgetTracking Track(IReadOnlyList<QuestionRecord> records, IReadOnlyList<bool> decisions, StrategyFigures budgetFigures, string mode,
        double targetShare, int window, double threshold)
    {
        var n = records.Count;
        var quarters = Enumerable.Range(0, 4).Select(q =>
        {
            int from = q * n / 4, to = (q + 1) * n / 4;
            return to > from ? decisions.Skip(from).Take(to - from).Count(d => d) / (double)(to - from) : 0;
        }).ToList();
        var cases = RunAnalysis.Cases(records, RunAnalysis.HeadlineSpec);
        var fixedEta = GateSimulation.AtThreshold(cases, threshold);
        var retransmitted = decisions.Count(d => d);
        var hindsight = GateSimulation.Sweep(cases).FirstOrDefault(p => p.Retransmitted <= retransmitted);
        return new BudgetTracking(mode, targetShare, window, n, retransmitted, n == 0 ? 0 : retransmitted / (double)n, quarters,
            budgetFigures.AccuracyEm, budgetFigures.RetransmissionShare,
            threshold, n == 0 ? 0 : fixedEta.Retransmitted / (double)n, fixedEta.AccuracyEm,
            hindsight is null || double.IsNaN(hindsight.Threshold) ? null : hindsight.Threshold,
            hindsight is null ? null : hindsight.Retransmitted / (double)n, hindsight?.AccuracyEm);
    }
}

using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Gate;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>
/// Replays gates over per-question outcomes of both passes (<see cref="GateCase"/>): a threshold
/// gate at any η, a sweep over every η that changes the decision, random retransmission at a rate,
/// and the oracle that retransmits exactly the questions whose global answer is wrong (the ceiling
/// of any gate). Valid because the model is deterministic: the refined answer of a question does
/// not depend on which gate asked for it.
/// </summary>
public static class GateSimulation
{
    /// <summary>The production gate (<see cref="RetransmitGate"/>) at η: retransmit when the uncertainty is above it.</summary>
    public static GatePoint AtThreshold(IReadOnlyList<GateCase> cases, double threshold) =>
        Evaluate(cases, i => RetransmitGate.ShouldRetransmit(RetransmitPolicy.Gated, cases[i].Uncertainty, threshold), threshold);

    /// <summary>Any decision rule; <paramref name="retransmit"/> gets the question's index.</summary>
    public static GatePoint Evaluate(IReadOnlyList<GateCase> cases, Func<int, bool> retransmit, double threshold = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(retransmit);
        long global = 0, local = 0, alwaysLocal = 0;
        double em = 0, anls = 0, globalMs = 0, extraMs = 0;
        var retransmitted = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            global += c.GlobalBytes;
            alwaysLocal += c.LocalBytes;
            globalMs += c.GlobalModelMs;
            if (retransmit(i))
            {
                retransmitted++;
                local += c.LocalBytes;
                extraMs += c.RefinedModelMs;
                em += c.RefinedRight ? 1 : 0;
                anls += c.RefinedAnls;
            }
            else
            {
                em += c.GlobalRight ? 1 : 0;
                anls += c.GlobalAnls;
            }
        }
        var n = Math.Max(cases.Count, 1);
        return new GatePoint(threshold, em / n, anls / n, ExtraCost.Of(global, local), ExtraCost.RetransmissionShare(local, alwaysLocal),
            globalMs > 0 ? (globalMs + extraMs) / globalMs : 1, retransmitted, cases.Count);
    }

    /// <summary>
    /// One point per η that changes the decision: below the smallest score (retransmit all), then at
    /// each distinct score (the questions scoring at or below it keep their global answer). Ordered
    /// from retransmitting everything to retransmitting nothing.
    /// </summary>
    public static IReadOnlyList<GatePoint> Sweep(IReadOnlyList<GateCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var distinct = cases.Select(c => c.Uncertainty).Distinct().Order().ToList();
        var points = new List<GatePoint>(distinct.Count + 1);
        var below = distinct.Count == 0 ? 0 : distinct[0] - Math.Max(1e-9, Math.Abs(distinct[0]) * 1e-9);
        points.Add(AtThreshold(cases, below));
        points.AddRange(distinct.Select(t => AtThreshold(cases, t)));
        return points;
    }

    /// <summary>
    /// Random retransmission of round(rate × n) questions drawn without replacement with
    /// <paramref name="seed"/>: the baseline a gate must beat at the same rate.
    /// </summary>
    public static GatePoint Random(IReadOnlyList<GateCase> cases, double rate, int seed)
    {
        var chosen = RandomChoice(cases.Count, rate, seed);
        return Evaluate(cases, i => chosen.Contains(i));
    }

    /// <summary>
    /// The same baseline in expectation over all draws: every figure is linear in the chosen set,
    /// so it is global-only mixed with always-retransmit at <paramref name="rate"/>. Used for curves,
    /// where one draw's noise would hide the comparison.
    /// </summary>
    public static GatePoint RandomExpected(IReadOnlyList<GateCase> cases, double rate)
    {
        if (!(rate >= 0 && rate <= 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "a retransmission rate is a fraction in [0, 1]");
        var never = Evaluate(cases, _ => false);
        var always = Evaluate(cases, _ => true);
        double Mix(double a, double b) => (1 - rate) * a + rate * b;
        return new GatePoint(double.NaN, Mix(never.AccuracyEm, always.AccuracyEm), Mix(never.AccuracyAnls, always.AccuracyAnls),
            Mix(never.ExtraCost, always.ExtraCost), rate, Mix(never.RelativeCompute, always.RelativeCompute),
            (int)Math.Round(rate * cases.Count), cases.Count);
    }

    /// <summary>Retransmit exactly when the global answer is wrong.</summary>
    public static GatePoint Oracle(IReadOnlyList<GateCase> cases) => Evaluate(cases, i => !cases[i].GlobalRight);

    /// <summary>Indices of round(rate × count) questions drawn without replacement, reproducible from the seed.</summary>
    public static HashSet<int> RandomChoice(int count, double rate, int seed)
    {
        if (!(rate >= 0 && rate <= 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "a retransmission rate is a fraction in [0, 1]");
        var indices = Enumerable.Range(0, count).ToArray();
        new System.Random(seed).Shuffle(indices);
        return indices.Take((int)Math.Round(rate * count, MidpointRounding.AwayFromZero)).ToHashSet();
    }
}

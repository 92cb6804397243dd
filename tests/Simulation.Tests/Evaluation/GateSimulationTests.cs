using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Simulation.Tests.Evaluation;

public sealed class GateSimulationTests
{
    // Four questions, global images 100 bytes each, local images 300 bytes each.
    // Scores 0.1 (global right), 0.5 (global wrong, refined right), 2.0 (wrong, refined right), 3.0 (both wrong).
    private static readonly GateCase[] Cases =
    [
        new(0.1, GlobalRight: true, RefinedRight: true, 1, 1, 100, 300, 10, 20),
        new(0.5, GlobalRight: false, RefinedRight: true, 0.5, 1, 100, 300, 10, 20),
        new(2.0, GlobalRight: false, RefinedRight: true, 0, 1, 100, 300, 10, 20),
        new(3.0, GlobalRight: false, RefinedRight: false, 0, 0.6, 100, 300, 10, 20),
    ];

    [Fact]
    public void A_threshold_gate_retransmits_only_scores_above_eta()
    {
        var p = GateSimulation.AtThreshold(Cases, 0.5);
        // Retransmits 2.0 and 3.0: right = q0 (global) + q2 (refined) = 2 of 4.
        Assert.Equal(2, p.Retransmitted);
        Assert.Equal(0.5, p.AccuracyEm, 12);
        // ANLS: 1 + 0.5 + 1 + 0.6 = 3.1 / 4.
        Assert.Equal(3.1 / 4, p.AccuracyAnls, 12);
        // Extra cost 600 / 400; share 600 / 1200.
        Assert.Equal(1.5, p.ExtraCost, 12);
        Assert.Equal(0.5, p.RetransmissionShare, 12);
        // Compute: (40 + 2 × 20) / 40.
        Assert.Equal(2.0, p.RelativeCompute, 12);
    }

    [Fact]
    public void The_sweep_runs_from_always_to_never_with_one_point_per_distinct_score()
    {
        var sweep = GateSimulation.Sweep(Cases);
        Assert.Equal(5, sweep.Count);
        Assert.Equal(4, sweep[0].Retransmitted);
        Assert.Equal(0.75, sweep[0].AccuracyEm, 12);
        Assert.Equal(0, sweep[^1].Retransmitted);
        Assert.Equal(0.25, sweep[^1].AccuracyEm, 12);
        Assert.True(sweep.Zip(sweep.Skip(1)).All(pair => pair.First.RetransmissionShare >= pair.Second.RetransmissionShare));
    }

    [Fact]
    public void The_oracle_retransmits_exactly_the_wrong_global_answers()
    {
        var p = GateSimulation.Oracle(Cases);
        Assert.Equal(3, p.Retransmitted);
        Assert.Equal(0.75, p.AccuracyEm, 12);
    }

    [Fact]
    public void Random_draws_the_rate_reproducibly_and_its_expectation_is_the_mixture()
    {
        var a = GateSimulation.Random(Cases, 0.5, seed: 9);
        var b = GateSimulation.Random(Cases, 0.5, seed: 9);
        Assert.Equal(a, b);
        Assert.Equal(2, a.Retransmitted);
        var expected = GateSimulation.RandomExpected(Cases, 0.5);
        // Never: 0.25, always: 0.75 → 0.5; extra cost 0 and 3 → 1.5.
        Assert.Equal(0.5, expected.AccuracyEm, 12);
        Assert.Equal(1.5, expected.ExtraCost, 12);
        Assert.Equal(0.5, expected.RetransmissionShare, 12);
        // Averaging many draws approaches the expectation.
        var mean = Enumerable.Range(0, 4000).Average(s => GateSimulation.Random(Cases, 0.5, s).AccuracyEm);
        Assert.Equal(0.5, mean, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => GateSimulation.RandomExpected(Cases, 1.5));
    }

    [Fact]
    public void Calibration_for_a_share_takes_the_smallest_eta_within_the_budget()
    {
        var p = ThresholdCalibration.ForShare(Cases, 0.5);
        // η = 0.5 retransmits two of four (share 0.5); η = 0.1 would retransmit three (0.75).
        Assert.Equal(0.5, p.Threshold);
        Assert.Equal(0.5, p.RetransmissionShare, 12);
        Assert.Equal(0, ThresholdCalibration.ForShare(Cases, 0).Retransmitted);
    }

    [Fact]
    public void Calibration_for_an_accuracy_takes_the_largest_eta_that_reaches_it_or_none()
    {
        var p = ThresholdCalibration.ForAccuracy(Cases, 0.75);
        Assert.NotNull(p);
        // η = 0.1 retransmits 0.5, 2.0, 3.0: right = q0, q1, q2 → 0.75 with three retransmissions.
        Assert.Equal(0.1, p!.Threshold);
        Assert.Null(ThresholdCalibration.ForAccuracy(Cases, 0.9));
    }

    [Fact]
    public void The_split_is_reproducible_disjoint_and_complete()
    {
        var items = Enumerable.Range(0, 10).ToList();
        var (cal, held) = CalibrationSplit.Split(items, 0.3, seed: 5);
        Assert.Equal(3, cal.Count);
        Assert.Equal(7, held.Count);
        Assert.Equal(items, cal.Concat(held).Order());
        Assert.Equal(cal, CalibrationSplit.Split(items, 0.3, seed: 5).Calibration);
        Assert.NotEqual(cal, CalibrationSplit.Split(items, 0.3, seed: 6).Calibration);
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationSplit.Split(items, 1.0, 5));
    }
}

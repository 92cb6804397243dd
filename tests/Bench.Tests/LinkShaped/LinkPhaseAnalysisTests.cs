using CollabVlm.Bench.LinkShaped;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.Tests.LinkShaped;

/// <summary>The link-shaped bench's arithmetic on made-up readings: estimate, error, time to target, utilization.</summary>
public sealed class LinkPhaseAnalysisTests
{
    private const long Start = 1_000_000;
    private const long Megabit = 1_000_000;

    private static EstimateReading Estimate(double seconds, double? bitsPerSecond, double confidence = 0.5) =>
        new(Start + (long)(seconds * 1000), bitsPerSecond / 8, 0.001, bitsPerSecond is null ? null : confidence);

    [Fact]
    public void The_estimate_is_the_median_of_the_last_half_and_the_error_is_signed()
    {
        // First half far off (it is still learning), second half 0.9, 0.95, 1.2 Mbit/s.
        var readings = new[] { Estimate(1, 0.2e6), Estimate(4, 0.5e6), Estimate(6, 0.9e6), Estimate(8, 1.2e6), Estimate(9, 0.95e6) };

        var phase = LinkPhaseAnalysis.Analyse(0, false, Megabit, Start, Start + 10_000, readings, [], [], 0.15);

        Assert.Equal(0.95e6, phase.EstimateBitsPerSecond!.Value, 1e-6);
        Assert.Equal(-0.05, phase.Error!.Value, 1e-9);
        Assert.True(phase.Within(0.15));
        Assert.Equal(6, phase.SecondsToTarget);  // the first reading within 15 %
    }

    [Fact]
    public void The_edges_prior_is_no_estimate()
    {
        // Before its first upload the edge exports its prior (1 Mbit/s) with confidence 0: not a measurement.
        var readings = new[] { Estimate(1, 1e6, confidence: 0), Estimate(7, 1e6, confidence: 0) };

        var phase = LinkPhaseAnalysis.Analyse(0, false, Megabit, Start, Start + 10_000, readings, [], [], 0.15);

        Assert.Null(phase.EstimateBitsPerSecond);
        Assert.Null(phase.Error);
        Assert.Null(phase.SecondsToTarget);
        Assert.False(phase.Within(0.15));
    }

    [Fact]
    public void Utilization_counts_only_the_intervals_the_edge_was_uploading()
    {
        // 1 Mbit/s = 12 500 bytes per 100 ms. Idle (heartbeats), then two intervals at 80 % and 100 %, then idle again.
        var sent = new long[] { 0, 100, 200, 10_200, 22_700, 22_800, 22_900 };
        var counters = sent.Select((bytes, i) => new CounterReading(Start + 100 * i, bytes)).ToList();

        var (utilization, seconds, total) = LinkPhaseAnalysis.Utilization(Megabit / 8.0, Start, Start + 1_000, counters);

        Assert.Equal(0.9, utilization!.Value, 1e-9);
        Assert.Equal(0.2, seconds, 1e-9);
        Assert.Equal(22_900, total);
    }

    [Fact]
    public void A_phase_without_uploads_has_no_utilization()
    {
        var counters = new[] { new CounterReading(Start, 0), new CounterReading(Start + 1_000, 500) };

        Assert.Null(LinkPhaseAnalysis.Utilization(Megabit / 8.0, Start, Start + 1_000, counters).Utilization);
    }

    [Fact]
    public void Questions_are_counted_in_the_phase_they_were_asked_or_ended_in()
    {
        OutcomeLine Line(string evt, long at, string? outcome = null, string? stage = null) => new(evt, "1/c0-0", 0, "q", at, outcome, stage);
        var outcomes = new[]
        {
            Line(OutcomeLine.Asked, Start - 500), Line(OutcomeLine.Ended, Start + 500, OutcomeLine.Answered, "Refined"),
            Line(OutcomeLine.Asked, Start + 600), Line(OutcomeLine.Ended, Start + 900, OutcomeLine.Failed),
            Line(OutcomeLine.Asked, Start + 2_000),
        };

        var phase = LinkPhaseAnalysis.Analyse(0, true, Megabit, Start, Start + 1_000, [], [], outcomes, 0.15);

        Assert.Equal((1, 1, 1), (phase.Asked, phase.Refined, phase.Failed));
    }

    [Fact]
    public void A_phase_must_end_after_it_starts()
    {
        var e = Assert.Throws<ArgumentException>(() => LinkPhaseAnalysis.Analyse(0, false, Megabit, Start, Start, [], [], [], 0.15));
        Assert.Contains("must end after it starts", e.Message, StringComparison.Ordinal);
    }
}

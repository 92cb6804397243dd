using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

/// <summary>The refined pass's rule, <see cref="PpOcrReader.ChooseSurer"/>: lower mean H∞ wins, ties keep the local reading.</summary>
public sealed class ChooseSurerTests
{
    // Small vocabulary: the maximum (an empty reading's score) is log2 8 = 3 bits.
    private const int Vocabulary = 8;

    private static TokenStat Token(double maxProb) => new(maxProb, 0, 0);

    [Fact]
    public void Surer_local_reading_replaces_the_global_one()
    {
        // Global: H∞ = −log2 0.5 = 1 bit. Local: H∞ = −log2 1 = 0 bits → local wins.
        var global = new TextReading("N0 PARKNG", [Token(0.5), Token(0.5)]);
        var local = new TextReading("NO PARKING", [Token(1.0), Token(1.0)]);

        Assert.Same(local, PpOcrReader.ChooseSurer(global, local, Vocabulary));
    }

    [Fact]
    public void Less_sure_local_reading_keeps_the_global_one()
    {
        // Global: mean H∞ = (−log2 1 − log2 0.5)/2 = 0.5 bit. Local: −log2 0.25 = 2 bits → global wins.
        var global = new TextReading("EXIT 24", [Token(1.0), Token(0.5)]);
        var local = new TextReading("EXT 2", [Token(0.25)]);

        Assert.Same(global, PpOcrReader.ChooseSurer(global, local, Vocabulary));
    }

    [Fact]
    public void Empty_local_reading_never_replaces_a_non_empty_global_one()
    {
        // Global is very unsure: H∞ = −log2 0.2 ≈ 2.32 bits, yet below the empty reading's 3 bits.
        var global = new TextReading("B113", [Token(0.2), Token(0.2)]);

        Assert.Same(global, PpOcrReader.ChooseSurer(global, TextReading.Empty, Vocabulary));
    }

    [Fact]
    public void Tie_keeps_the_local_reading()
    {
        // Both score H∞ = 1 bit: the local crop saw the original pixels, so it is preferred.
        var global = new TextReading("ABC", [Token(0.5)]);
        var local = new TextReading("ABD", [Token(0.5)]);

        Assert.Same(local, PpOcrReader.ChooseSurer(global, local, Vocabulary));
    }

    [Fact]
    public void Empty_local_reading_loses_even_to_a_maximally_unsure_global_one()
    {
        // Global tokens with top probability 0 score the maximum, log2 8 = 3 bits: a tie with the
        // empty local reading, which must still not win.
        var global = new TextReading("?", [Token(0.0)]);
        Assert.Same(global, PpOcrReader.ChooseSurer(global, TextReading.Empty, Vocabulary));
    }
}

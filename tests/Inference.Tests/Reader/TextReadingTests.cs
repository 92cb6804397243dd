using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

public sealed class TextReadingTests
{
    private const double Tol = 1e-12;

    private static TokenStat Token(double maxProb) => new(maxProb, 1 - maxProb, 0);

    [Fact]
    public void Join_trims_each_line_separates_with_one_space_and_keeps_every_token()
    {
        var exit = new TextReading(" EXIT ", [Token(0.9), Token(0.9), Token(0.9), Token(0.9), Token(0.9), Token(0.8)]);
        var number = new TextReading("24", [Token(0.7), Token(0.6)]);

        var joined = TextReading.Join([exit, number]);

        Assert.Equal("EXIT 24", joined.Text);
        // 6 + 2 tokens: trimming drops characters, not the tokens of the model's own spaces.
        Assert.Equal(8, joined.Tokens.Count);
        Assert.Equal(0.8, joined.Tokens[5].MaxProb, Tol);
        Assert.Equal(0.6, joined.Tokens[7].MaxProb, Tol);
    }

    [Fact]
    public void Join_skips_blank_readings_together_with_their_tokens()
    {
        var blank = new TextReading("  ", [Token(0.3)]);
        var empty = TextReading.Empty;
        var park = new TextReading("PARK", [Token(0.9), Token(0.9), Token(0.9), Token(0.9)]);

        var joined = TextReading.Join([blank, park, empty]);

        Assert.Equal("PARK", joined.Text);
        Assert.Equal(4, joined.Tokens.Count);
        Assert.DoesNotContain(joined.Tokens, t => t.MaxProb < 0.5);
    }

    [Fact]
    public void Join_of_nothing_is_empty()
    {
        var joined = TextReading.Join([]);

        Assert.Equal("", joined.Text);
        Assert.Empty(joined.Tokens);
    }

    [Fact]
    public void Mean_confidence_is_the_mean_top_probability()
    {
        // (0.9 + 0.6 + 0.3) / 3 = 0.6.
        var reading = new TextReading("abc", [Token(0.9), Token(0.6), Token(0.3)]);

        Assert.Equal(0.6, reading.MeanConfidence, Tol);
    }

    [Fact]
    public void Mean_confidence_of_an_empty_reading_is_zero()
    {
        Assert.Equal(0, TextReading.Empty.MeanConfidence);
    }
}

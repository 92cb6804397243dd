using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

public sealed class CtcGreedyDecoderTests
{
    private const double Tol = 1e-9;

    // Classes: 0 blank, 1 "a", 2 "b", 3 "c", 4 " " (the table appends the space).
    private static readonly CharacterTable Abc = CharacterTable.FromKeys(["a", "b", "c"]);
    private const int Classes = 5;

    private static float[] Rows(params float[][] rows) => rows.SelectMany(r => r).ToArray();

    private static float[] OneHot(int cls)
    {
        var row = new float[Classes];
        row[cls] = 1f;
        return row;
    }

    [Fact]
    public void Repeated_class_collapses_but_a_blank_between_repeats_keeps_both()
    {
        // Steps: a, a, blank, a → collapse the first two a's into one, drop the blank, keep the
        // last a (it follows a blank, so it is a new character) → "aa".
        float[] firstA = [0.0625f, 0.5f, 0.25f, 0.125f, 0.0625f];
        float[] repeatedA = [0.1f, 0.6f, 0.1f, 0.1f, 0.1f];
        float[] blank = [0.5f, 0.25f, 0.125f, 0.0625f, 0.0625f];
        float[] lastA = [0.125f, 0.75f, 0.125f, 0f, 0f];

        var reading = CtcGreedyDecoder.Decode(Rows(firstA, repeatedA, blank, lastA), 4, Classes, Abc);

        Assert.Equal("aa", reading.Text);
        Assert.Equal(2, reading.Tokens.Count);

        // Token 1 = step 0: p sorted = [0.5, 0.25, 0.125, 0.0625, 0.0625]
        //   MaxProb 0.5, SecondProb 0.25,
        //   H = 0.5·1 + 0.25·2 + 0.125·3 + 2·0.0625·4 = 0.5 + 0.5 + 0.375 + 0.5 = 1.875 bits.
        Assert.Equal(0.5, reading.Tokens[0].MaxProb, Tol);
        Assert.Equal(0.25, reading.Tokens[0].SecondProb, Tol);
        Assert.Equal(1.875, reading.Tokens[0].EntropyBits, Tol);

        // Token 2 = step 3 (not the collapsed step 1, whose MaxProb is 0.6):
        //   MaxProb 0.75, SecondProb 0.125,
        //   H = 0.75·log2(4/3) + 2·0.125·3 = 0.75·(2 − log2 3) + 0.75 = 2.25 − 0.75·log2 3 ≈ 1.061278 bits.
        Assert.Equal(0.75, reading.Tokens[1].MaxProb, Tol);
        Assert.Equal(0.125, reading.Tokens[1].SecondProb, Tol);
        Assert.Equal(2.25 - 0.75 * Math.Log2(3), reading.Tokens[1].EntropyBits, Tol);
    }

    [Fact]
    public void Repeats_without_a_blank_between_them_give_one_character()
    {
        // b, b, b → "b" with one token.
        var reading = CtcGreedyDecoder.Decode(Rows(OneHot(2), OneHot(2), OneHot(2)), 3, Classes, Abc);

        Assert.Equal("b", reading.Text);
        Assert.Single(reading.Tokens);
    }

    [Fact]
    public void Blanks_are_removed_wherever_they_occur()
    {
        // blank, b, blank, blank, c, blank → "bc": two tokens, one per kept step.
        var probabilities = Rows(OneHot(0), OneHot(2), OneHot(0), OneHot(0), OneHot(3), OneHot(0));

        var reading = CtcGreedyDecoder.Decode(probabilities, 6, Classes, Abc);

        Assert.Equal("bc", reading.Text);
        Assert.Equal(2, reading.Tokens.Count);
        // One-hot steps: MaxProb 1, SecondProb 0, H = 0.
        Assert.All(reading.Tokens, t => Assert.Equal(new TokenStat(1, 0, 0), t));
    }

    [Fact]
    public void Space_class_is_emitted_as_a_character_with_its_own_token()
    {
        // a, space (class 4), c → "a c": the model's own space is a kept step, hence a token.
        var reading = CtcGreedyDecoder.Decode(Rows(OneHot(1), OneHot(4), OneHot(3)), 3, Classes, Abc);

        Assert.Equal("a c", reading.Text);
        Assert.Equal(3, reading.Tokens.Count);
    }

    [Fact]
    public void All_blank_steps_decode_to_an_empty_reading_without_tokens()
    {
        var reading = CtcGreedyDecoder.Decode(Rows(OneHot(0), OneHot(0)), 2, Classes, Abc);

        Assert.Equal("", reading.Text);
        Assert.Empty(reading.Tokens);
    }

    [Fact]
    public void Class_count_that_differs_from_the_table_is_rejected_naming_both_counts()
    {
        // The model says 6 classes per step; the table has 5 (blank + 3 + space).
        var probabilities = new float[6];
        probabilities[1] = 1f;

        var e = Assert.Throws<ArgumentException>(() => CtcGreedyDecoder.Decode(probabilities, 1, 6, Abc));

        Assert.Contains("6 classes", e.Message);
        Assert.Contains("has 5", e.Message);
        Assert.Contains("keys file", e.Message);
    }

    [Fact]
    public void Probability_count_that_is_not_steps_times_classes_is_rejected()
    {
        // 2 steps × 5 classes = 10 values expected, 9 given.
        var e = Assert.Throws<ArgumentException>(() => CtcGreedyDecoder.Decode(new float[9], 2, Classes, Abc));

        Assert.Contains("got 9", e.Message);
    }
}

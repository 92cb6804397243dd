using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Simulation.Tests.Evaluation;

public sealed class AnswerScoringTests
{
    private const double Tol = 1e-12;

    [Theory]
    [InlineData("B-113", "b113")]
    [InlineData("PARK  RD", "parkrd")]
    [InlineData("Park Rd.", "parkrd")]
    [InlineData("  Exit 24! ", "exit24")]
    [InlineData(" - ", "")]
    public void Normalize_keeps_lower_case_letters_and_digits_only(string text, string expected)
    {
        Assert.Equal(expected, AnswerScoring.Normalize(text));
    }

    [Fact]
    public void Exact_match_accepts_any_of_several_answers_after_normalization()
    {
        Assert.True(AnswerScoring.ExactMatch("park rd", ["Main St", "PARK RD"]));
        Assert.True(AnswerScoring.ExactMatch("B113", ["b-113"]));
        // PP-OCR often drops the space between words: still right.
        Assert.True(AnswerScoring.ExactMatch("EXIT24", ["EXIT 24"]));
    }

    [Fact]
    public void Exact_match_rejects_a_different_answer_and_an_empty_accepted_list()
    {
        Assert.False(AnswerScoring.ExactMatch("park rd", ["Main St", "Park Ave"]));
        Assert.False(AnswerScoring.ExactMatch("EXIT 2", ["EXIT 24"]));
        Assert.False(AnswerScoring.ExactMatch("EXIT 24", []));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)] // k→s, e→i, +g
    [InlineData("flaw", "lawn", 2)]      // −f, +n
    [InlineData("ab", "ba", 2)]          // no transposition: two substitutions
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("same", "same", 0)]
    public void Levenshtein_distance_of_hand_checked_pairs(string a, string b, int expected)
    {
        Assert.Equal(expected, AnswerScoring.Levenshtein(a, b));
        Assert.Equal(expected, AnswerScoring.Levenshtein(b, a));
    }

    [Fact]
    public void Anls_of_an_exact_answer_is_one()
    {
        // Normalization first: "ABCDE-FGHIJ" → "abcdefghij".
        Assert.Equal(1.0, AnswerScoring.Anls("ABCDE-FGHIJ", ["abcdefghij"]), Tol);
    }

    [Fact]
    public void Anls_of_one_edit_in_ten_characters_is_nine_tenths()
    {
        // 1 − 1/10 = 0.9.
        Assert.Equal(0.9, AnswerScoring.Anls("abcdefghix", ["abcdefghij"]), Tol);
    }

    [Fact]
    public void Anls_takes_the_best_accepted_answer()
    {
        // vs "zzzz": distance 10 over 10 → 0; vs "abcdefghij": 0.9.
        Assert.Equal(0.9, AnswerScoring.Anls("abcdefghix", ["zzzz", "abcdefghij"]), Tol);
    }

    [Fact]
    public void Anls_below_one_half_similarity_counts_as_zero()
    {
        // "abcd" vs "axyz": 3 substitutions over 4 → similarity 0.25 < 0.5 → 0.
        Assert.Equal(0.0, AnswerScoring.Anls("abcd", ["axyz"]), Tol);
        // "abcdefghij" vs "abcxyzuvwj": 6 substitutions over 10 → 0.4 < 0.5 → 0.
        Assert.Equal(0.0, AnswerScoring.Anls("abcdefghij", ["abcxyzuvwj"]), Tol);
        // "abcxyzwhij": 4 substitutions (d e f g → x y z w) over 10 → 0.6 ≥ 0.5 → kept.
        Assert.Equal(0.6, AnswerScoring.Anls("abcdefghij", ["abcxyzwhij"]), Tol);
        // "abcd" vs "abxy": distance 2 over 4 → similarity exactly 0.5 = 1 − τ → 0 (Biten et al.).
        Assert.Equal(0.0, AnswerScoring.Anls("abcd", ["abxy"]), Tol);
    }

    [Fact]
    public void Punctuation_only_answer_matches_nothing()
    {
        // Both normalize to "", which must not count as reading the sign.
        Assert.False(AnswerScoring.ExactMatch("—", ["?"]));
    }

    [Fact]
    public void Anls_of_empty_against_empty_is_one_and_of_empty_against_text_is_zero()
    {
        Assert.Equal(1.0, AnswerScoring.Anls("", [""]), Tol);
        // Punctuation-only normalizes to empty as well.
        Assert.Equal(1.0, AnswerScoring.Anls("--", [""]), Tol);
        // Distance 3 over 3 → 0.
        Assert.Equal(0.0, AnswerScoring.Anls("", ["abc"]), Tol);
    }

    [Fact]
    public void Anls_with_no_accepted_answer_is_zero()
    {
        Assert.Equal(0.0, AnswerScoring.Anls("abc", []), Tol);
    }
}

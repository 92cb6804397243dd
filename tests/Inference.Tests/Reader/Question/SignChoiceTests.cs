using CollabVlm.Inference.Reader;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;

namespace CollabVlm.Inference.Tests.Reader.Question;

public sealed class SignChoiceTests
{
    private static SignCandidate Sign(string text, string? colour, double x, double y, double confidence = 0.95) =>
        new(new NormalizedBox(x - 0.05, y - 0.02, x + 0.05, y + 0.02),
            text.Length == 0 ? TextReading.Empty : new TextReading(text, text.Select(_ => new TokenStat(confidence, 0.01, 0.1)).ToList()), colour);

    private static readonly SignCandidate RedExit = Sign("EXIT 4", "red", 0.8, 0.2);
    private static readonly SignCandidate WhiteCafe = Sign("CAFE", "white", 0.2, 0.7);
    private static readonly SignCandidate BlueMain = Sign("MAIN ST", "blue", 0.5, 0.5);
    private static readonly IReadOnlyList<SignCandidate> Three = [RedExit, WhiteCafe, BlueMain];

    [Theory]
    [InlineData("What does the red sign say?", "EXIT 4")]
    [InlineData("What does the white sign say?", "CAFE")]
    [InlineData("What does the sign on the left say?", "CAFE")]
    [InlineData("What does the top right sign say?", "EXIT 4")]
    [InlineData("What does the sign in the middle say?", "MAIN ST")]
    [InlineData("What does the sign at the bottom say?", "CAFE")]
    [InlineData("What is the number on the sign?", "EXIT 4")]
    [InlineData("What does the sign that says MAIN say?", "MAIN ST")]
    [InlineData("What does the sign that says CAFF say?", "CAFE")] // a misread word still names its sign
    public void The_question_picks_its_sign(string question, string expected) =>
        Assert.Equal(expected, SignChoice.Choose(SignQueryParser.Parse(question), Three, strict: true)!.Reading.Text);

    [Fact]
    public void A_named_colour_no_sign_has_is_no_answer_on_the_global_pass_but_the_best_guess_on_the_refined_one()
    {
        var query = SignQueryParser.Parse("What does the green sign say?");
        Assert.Null(SignChoice.Choose(query, Three, strict: true));
        Assert.NotNull(SignChoice.Choose(query, Three, strict: false));
        Assert.Null(SignChoice.Choose(query, [], strict: false));
    }

    [Fact]
    public void The_named_sign_is_chosen_even_when_unreadable_so_the_gate_asks_for_detail()
    {
        var unreadableRed = Sign("", "red", 0.3, 0.3);
        var chosen = SignChoice.Choose(SignQueryParser.Parse("What does the red sign say?"), [WhiteCafe, unreadableRed], strict: true);
        Assert.Same(unreadableRed, chosen);
    }

    [Fact]
    public void A_sharper_reading_of_the_same_sign_wins_its_tie()
    {
        var blurred = Sign("EXlT 4", "red", 0.8, 0.2, confidence: 0.6);
        var sharp = Sign("EXIT 4", "red", 0.8, 0.2, confidence: 0.99);
        Assert.Same(sharp, SignChoice.Choose(SignQueryParser.Parse("What does the red sign say?"), [blurred, WhiteCafe, sharp], strict: false));
    }

    [Theory]
    [InlineData(SignContent.Number, "GATE 42", 0.5, 1.0)]
    [InlineData(SignContent.Number, "OPEN", 0.0, 0.0)]
    [InlineData(SignContent.Price, "$4.50", 1.0, 1.0)]
    [InlineData(SignContent.Price, "4,99", 1.0, 1.0)]
    [InlineData(SignContent.Phone, "555-123-4567", 1.0, 1.0)]
    [InlineData(SignContent.Word, "PHARMACY", 1.0, 1.0)]
    public void Content_fit(SignContent content, string text, double min, double max) =>
        Assert.InRange(SignChoice.ContentFit(content, text), min, max);

    [Fact]
    public void Weighting_keeps_the_named_sign_and_damps_the_others()
    {
        var map = RelevanceMap.Uniform(100, 100);
        var weighted = SignChoice.Weight(map, SignQueryParser.Parse("What does the red sign say?"), Three, cellColours: null);
        Assert.Equal(1f, weighted[80, 20], 3);               // inside the red sign
        Assert.True(weighted[20, 70] < 0.3f);                // inside the white one
        Assert.Same(map, SignChoice.Weight(map, SignQuery.None, Three, null));
    }

    [Fact]
    public void Weighting_follows_the_named_colour_and_place_where_no_sign_was_found()
    {
        var colours = Enumerable.Repeat(ColourNames.Grey, 100).ToArray();
        colours[5 * 10 + 1] = ColourNames.Red;
        var weighted = SignChoice.Weight(RelevanceMap.Uniform(10, 10), SignQueryParser.Parse("What does the red sign on the left say?"), [], colours);
        Assert.True(weighted[1, 5] > weighted[8, 5] * 3);   // red and left beats grey and right
        Assert.True(weighted[1, 5] > weighted[1, 1]);        // red beats grey in the same column
        Assert.Throws<ArgumentException>(() => SignChoice.Weight(RelevanceMap.Uniform(10, 10), SignQueryParser.Parse("the red sign"), [], ["red"]));
    }
}

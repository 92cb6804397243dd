using CollabVlm.Bench.Datasets;
using CollabVlm.Imaging;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Bench.Tests.Datasets;

public sealed class SignQuestionTests
{
    private static PlacedPhotoSign Sign(string text, int x, string colour) => new(text, new PixelRect(x, 100, 80, 20), 12, colour);

    [Fact]
    public void A_lone_sign_gets_the_plain_question()
    {
        Assert.Equal(SignQuestion.Plain, SignQuestion.For([Sign("EXIT", 10, "red")], new Random(1)));
    }

    [Fact]
    public void With_other_signs_the_question_names_a_property_only_the_answer_has()
    {
        // Left of the other, red against blue, the only one with a number: every kind holds.
        PlacedPhotoSign[] signs = [Sign("GATE 7", 10, "red"), Sign("CAFE", 500, "blue")];
        var asked = Enumerable.Range(0, 60).Select(seed => SignQuestion.For(signs, new Random(seed))).ToHashSet();
        Assert.Equal(new HashSet<string>
        {
            "What does the red sign say?", "What does the sign on the left say?", "What does the sign with the number say?",
        }, asked);
    }

    [Fact]
    public void A_property_another_sign_shares_is_never_used()
    {
        // Answer in the middle, all with numbers: only its colour names it.
        PlacedPhotoSign[] signs = [Sign("GATE 7", 300, "white"), Sign("BUS 4", 10, "red"), Sign("ROOM 9", 600, "green")];
        Assert.All(Enumerable.Range(0, 30), seed => Assert.Equal("What does the white sign say?", SignQuestion.For(signs, new Random(seed))));
        PlacedPhotoSign[] ambiguous = [Sign("GATE 7", 300, "red"), Sign("BUS 4", 10, "red"), Sign("ROOM 9", 600, "green")];
        Assert.Contains("no property", Assert.Throws<ArgumentException>(() => SignQuestion.For(ambiguous, new Random(1))).Message);
    }
}

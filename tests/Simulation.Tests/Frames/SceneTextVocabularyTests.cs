using System.Text.RegularExpressions;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Simulation.Tests.Frames;

public sealed partial class SceneTextVocabularyTests
{
    [GeneratedRegex("^[A-Za-z0-9-]+( [A-Za-z0-9-]+)?$")]
    private static partial Regex OneOrTwoAsciiWords();

    [Fact]
    public void Picks_are_one_or_two_words_of_ascii_letters_digits_and_hyphens()
    {
        var rng = new Random(1);
        for (var i = 0; i < 2000; i++)
        {
            var text = SceneTextVocabulary.Pick(rng);
            Assert.Matches(OneOrTwoAsciiWords(), text);
        }
    }

    [Fact]
    public void Picks_mix_words_and_digits_and_vary()
    {
        var rng = new Random(2);
        var picks = Enumerable.Range(0, 2000).Select(_ => SceneTextVocabulary.Pick(rng)).ToArray();

        Assert.True(picks.Distinct().Count() > 500);
        Assert.Contains(picks, p => p.All(char.IsDigit) && p.Length is >= 3 and <= 5);
        Assert.Contains(picks, p => p.Any(char.IsLetter) && p.Any(char.IsDigit));
        Assert.Contains(picks, p => p.All(c => char.IsLetter(c) || c == ' '));
        Assert.Contains(picks, p => p.Contains('-'));
        Assert.Contains(picks, p => p.Any(char.IsLower));
    }

    [Fact]
    public void Vocabulary_has_at_least_forty_base_words()
    {
        Assert.True(SceneTextVocabulary.BaseWords.Count >= 40);
        Assert.All(SceneTextVocabulary.BaseWords, w => Assert.Matches("^[A-Z-]+$", w));
    }

    [Fact]
    public void Same_seed_same_picks()
    {
        var a = new Random(3);
        var b = new Random(3);
        Assert.Equal(
            Enumerable.Range(0, 50).Select(_ => SceneTextVocabulary.Pick(a)),
            Enumerable.Range(0, 50).Select(_ => SceneTextVocabulary.Pick(b)));
    }
}

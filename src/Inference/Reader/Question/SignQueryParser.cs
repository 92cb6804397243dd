using System.Text.RegularExpressions;

namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// Reads a question for what it says about the sign it means: "What does the red sign say?",
/// "What does the sign on the left say?", "the top right sign", "What is the price on the sign?",
/// "What does the sign that says OPEN say under it?". Words the sign is said to contain are taken
/// out first, so text such as KEEP LEFT is not read as a place. Plain rules over words, no model:
/// questions outside them yield <see cref="SignQuery.None"/> and the reader reads every line.
/// </summary>
public static partial class SignQueryParser
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "on", "in", "at", "of", "and", "or", "to", "is", "it", "its", "what", "which", "say", "says", "said", "sign",
        "signs", "board", "one", "that", "this", "there", "where", "with", "about", "above", "below", "under", "over", "next", "written",
    };

    public static SignQuery Parse(string? question)
    {
        if (string.IsNullOrWhiteSpace(question)) return SignQuery.None;
        var (words, rest) = ContainedWords(question);
        var tokens = TokenPattern().Matches(rest.ToLowerInvariant()).Select(m => m.Value).ToList();

        string? colour = null;
        HorizontalPlace? horizontal = null;
        VerticalPlace? vertical = null;
        var centre = false;
        var content = SignContent.Any;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (colour is null && ColourNames.Words.TryGetValue(t, out var name)) colour = name;
            switch (t)
            {
                case "left" or "leftmost" or "lefthand": horizontal = HorizontalPlace.Left; break;
                case "right" or "rightmost" or "righthand": horizontal = HorizontalPlace.Right; break;
                case "top" or "upper" or "topmost" or "uppermost" or "highest": vertical = VerticalPlace.Top; break;
                case "bottom" or "lower" or "lowest" or "bottommost": vertical = VerticalPlace.Bottom; break;
                case "centre" or "center" or "middle" or "central": centre = true; break;
                case "phone" or "telephone" or "tel": content = SignContent.Phone; break;
                case "price" or "prices" or "cost" or "costs" or "fare": if (content != SignContent.Phone) content = SignContent.Price; break;
                case "much" when i > 0 && tokens[i - 1] == "how": if (content != SignContent.Phone) content = SignContent.Price; break;
                case "number" or "numbers" or "digits" or "digit" or "numeral": if (content == SignContent.Any) content = SignContent.Number; break;
                case "word" or "words": if (content == SignContent.Any) content = SignContent.Word; break;
            }
        }
        // "middle left": the middle is the row; "top centre" or "in the middle": the column.
        if (centre)
        {
            if (horizontal is not null && vertical is null) vertical = VerticalPlace.Middle;
            else horizontal ??= HorizontalPlace.Centre;
        }
        return new SignQuery { Colour = colour, Horizontal = horizontal, Vertical = vertical, Content = content, Words = words };
    }

    /// <summary>
    /// Whether the question asks for something written: a sign, a label, text, a number, a price, what something
    /// says or reads. The edge's text scan serves only such questions: on "how many people are there?" it would
    /// snap the region onto whatever text the frame holds. "The number of …" counts things and is not reading.
    /// </summary>
    public static bool AsksToRead(string? question)
    {
        if (string.IsNullOrWhiteSpace(question)) return false;
        if (QuotedPattern().IsMatch(question)) return true;
        var tokens = TokenPattern().Matches(question.ToLowerInvariant()).Select(m => m.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is "number" or "numbers" && i + 1 < tokens.Count && tokens[i + 1] == "of") continue;
            if (ReadingWords.Contains(tokens[i])) return true;
        }
        return false;
    }

    private static readonly HashSet<string> ReadingWords = new(StringComparer.Ordinal)
    {
        "sign", "signs", "signboard", "say", "says", "said", "saying", "read", "reads", "reading", "written", "write", "writing",
        "text", "word", "words", "letter", "letters", "label", "labels", "labelled", "labeled", "plate", "number", "numbers",
        "digit", "digits", "price", "prices", "cost", "costs", "fare", "phone", "telephone", "spell", "spelled", "spelt", "caption",
        "banner", "poster", "menu", "title", "brand", "logo", "code", "name", "named", "called", "inscription", "address",
    };

    /// <summary>Words the question quotes or says the sign reads, and the question without them.</summary>
    private static (IReadOnlyList<string> Words, string Remainder) ContainedWords(string question)
    {
        var words = new List<string>();
        var rest = QuotedPattern().Replace(question, m =>
        {
            words.AddRange(WordPattern().Matches(m.Groups["q"].Value).Select(w => w.Value));
            return " ";
        });
        rest = SaysPattern().Replace(rest, m =>
        {
            var tail = WordPattern().Matches(m.Groups["tail"].Value).Select(w => w.Value).ToList();
            // Capitalised words and numbers after the verb are the sign's text ("says Platform 7", "reads OPEN");
            // otherwise the first word, unless it is plainly part of the question.
            var run = tail.TakeWhile(w => char.IsUpper(w[0]) || char.IsDigit(w[0])).Where(w => !StopWords.Contains(w) || IsAllCaps(w)).ToList();
            if (run.Count == 0 && tail.Count > 0 && !StopWords.Contains(tail[0])) run.Add(tail[0]);
            words.AddRange(run);
            var tailText = m.Groups["tail"].Value;
            var cut = 0;
            foreach (var w in run)
                if (tailText.IndexOf(w, cut, StringComparison.Ordinal) is var at and >= 0) cut = at + w.Length;
            return " " + tailText[cut..];
        });
        return (words, rest);
    }

    private static bool IsAllCaps(string w) => w.Any(char.IsLetter) && w.Where(char.IsLetter).All(char.IsUpper);

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}\-\.,$€£¥%/]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex("[\"“”«»](?<q>[^\"“”«»]+)[\"“”«»]|(?<![\\p{L}])['‘’](?<q>[^'‘’]+)['‘’](?![\\p{L}])")]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(@"\b(?:says|reads|saying|reading|that say|which say|labell?ed|marked|with the words?|containing|contains)\b(?<tail>[^?!;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex SaysPattern();
}

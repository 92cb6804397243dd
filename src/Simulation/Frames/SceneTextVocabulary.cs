using System.Globalization;
using CollabVlm.Imaging;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// Short sign texts like those in street and station scenes. Mixing words and digits matters:
/// digits are where a low-resolution reader most often guesses wrong (8/B, 1/7, 5/S).
/// Only ASCII letters, digits, space and hyphen, so answers compare cleanly after normalization.
/// </summary>
public static class SceneTextVocabulary
{
    /// <summary>Words that stand alone on a sign or take a number after them.</summary>
    private static readonly string[] Words =
    [
        "EXIT", "OPEN", "CLOSED", "CAFE", "HOTEL", "BANK", "PHARMACY", "TAXI", "BUS", "TRAM",
        "METRO", "POLICE", "HOSPITAL", "PARKING", "TICKETS", "TOILETS", "BAKERY", "MARKET", "LIBRARY", "MUSEUM",
        "STOP", "YIELD", "SALE", "PIZZA", "BAR", "SCHOOL", "POST", "GARAGE", "ENTRANCE", "INFO",
        "GATE", "PLATFORM", "ROOM", "LEVEL", "ZONE", "ROUTE", "BAY", "DOCK", "TRACK", "FLOOR",
        "LINE", "AISLE", "SECTOR", "BLOCK", "UNIT", "HALL", "TERMINAL", "PIER", "LANE", "EXPRESS",
    ];

    /// <summary>Words that read naturally with a number after them ("Platform 7", "Gate 42").</summary>
    private static readonly string[] NumberedWords =
    [
        "EXIT", "GATE", "PLATFORM", "ROOM", "LEVEL", "ZONE", "ROUTE", "BAY", "DOCK", "TRACK",
        "FLOOR", "LINE", "AISLE", "SECTOR", "BLOCK", "UNIT", "HALL", "TERMINAL", "PIER", "LANE", "BUS",
    ];

    private static readonly string[] StreetNames =
    [
        "MAIN", "OAK", "PARK", "MILL", "HIGH", "KING", "CHURCH", "RIVER", "LAKE", "HILL", "STATION", "MARKET",
    ];

    private static readonly string[] StreetKinds = ["ST", "AVE", "RD", "SQ", "BLVD"];

    private static readonly string[] Phrases =
    [
        "NO PARKING", "NO ENTRY", "ONE WAY", "KEEP LEFT", "KEEP RIGHT", "DEAD END", "WET FLOOR",
        "FIRE EXIT", "STAFF ONLY", "PUSH", "PULL", "SLOW", "CASH ONLY", "FREE WIFI", "CITY CENTRE",
    ];

    /// <summary>Every base word the vocabulary can produce, for tests and data-set statistics.</summary>
    public static IReadOnlyList<string> BaseWords { get; } =
        Words.Concat(NumberedWords).Concat(StreetNames).Concat(StreetKinds)
            .Concat(Phrases.SelectMany(p => p.Split(' ')))
            .Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>One sign text, drawn from <paramref name="rng"/> so a seeded generator is reproducible.</summary>
    public static string Pick(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var text = rng.Next(7) switch
        {
            0 => Words[rng.Next(Words.Length)],
            1 => $"{NumberedWords[rng.Next(NumberedWords.Length)]} {Number(rng, 1, 3)}",
            2 => Phrases[rng.Next(Phrases.Length)],
            3 => $"{StreetNames[rng.Next(StreetNames.Length)]} {StreetKinds[rng.Next(StreetKinds.Length)]}",
            4 => $"{(char)('A' + rng.Next(26))}-{Number(rng, 2, 3)}",
            5 => Number(rng, 3, 5),
            _ => $"{Words[rng.Next(Words.Length)]} {NumberedWords[rng.Next(NumberedWords.Length)]}",
        };

        // Signs come in capitals and in title case; numbers are unaffected by either.
        return rng.Next(3) == 0 ? TitleCase(text) : text;
    }

    private static string Number(Random rng, int minDigits, int maxDigits)
    {
        var digits = rng.Next(minDigits, maxDigits + 1);
        var low = digits == 1 ? 1 : (int)Math.Pow(10, digits - 1);
        var high = (int)Math.Pow(10, digits);
        return rng.Next(low, high).ToString(CultureInfo.InvariantCulture);
    }

    private static string TitleCase(string text) =>
        string.Join(' ', text.Split(' ').Select(word =>
            word.Length <= 1 || !char.IsLetter(word[0]) || word.Contains('-')
                ? word
                : word[0] + word[1..].ToLowerInvariant()));
}

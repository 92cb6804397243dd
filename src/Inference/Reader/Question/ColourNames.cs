namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// The colour words a question may use, and the name a pixel's colour goes by. Signs are painted in
/// a few saturated colours or in white/black, so hue bands over HSV with dark and grey cut-offs
/// separate them; the cut-offs keep dark sign plates (deep red, forest green, navy, teal) apart from
/// black and brown.
/// </summary>
public static class ColourNames
{
    public const string Red = "red", Orange = "orange", Yellow = "yellow", Green = "green", Teal = "teal", Blue = "blue",
        Purple = "purple", Pink = "pink", Brown = "brown", White = "white", Grey = "grey", Black = "black";

    /// <summary>Every word a question may use for a colour, to its canonical name.</summary>
    public static IReadOnlyDictionary<string, string> Words { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Red] = Red, ["crimson"] = Red, ["maroon"] = Red,
        [Orange] = Orange,
        [Yellow] = Yellow, ["golden"] = Yellow, ["gold"] = Yellow,
        [Green] = Green,
        [Teal] = Teal, ["turquoise"] = Teal, ["cyan"] = Teal,
        [Blue] = Blue, ["navy"] = Blue,
        [Purple] = Purple, ["violet"] = Purple,
        [Pink] = Pink, ["magenta"] = Pink,
        [Brown] = Brown,
        [White] = White, ["cream"] = White,
        [Grey] = Grey, ["gray"] = Grey, ["silver"] = Grey,
        [Black] = Black,
    };

    /// <summary>The name of an sRGB colour.</summary>
    public static string Of(byte r, byte g, byte b)
    {
        double max = Math.Max(r, Math.Max(g, b)) / 255.0, min = Math.Min(r, Math.Min(g, b)) / 255.0;
        var value = max;
        var saturation = max <= 0 ? 0 : (max - min) / max;
        if (value < 0.2) return Black;
        if (saturation < 0.22 || max - min < 0.08)
            return value > 0.7 ? White : value < 0.3 ? Black : Grey;
        var hue = Hue(r / 255.0, g / 255.0, b / 255.0, max, min);
        if (hue is >= 10 and < 45 && value < 0.55) return Brown;
        return hue switch
        {
            < 12 or >= 340 => Red,
            < 40 => Orange,
            < 70 => Yellow,
            < 172 => Green,
            < 208 => Teal,
            < 260 => Blue,
            < 300 => Purple,
            _ => Pink,
        };
    }

    /// <summary>1 for the same name, ½ for neighbours a camera or a speaker easily confuses, else 0.</summary>
    public static double Similarity(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return 1;
        return Neighbours.Any(p => p.A == a && p.B == b || p.A == b && p.B == a) ? 0.5 : 0;
    }

    private static readonly (string A, string B)[] Neighbours =
    [
        (Teal, Blue), (Teal, Green), (Red, Orange), (Red, Pink), (Orange, Yellow), (Orange, Brown), (Red, Brown),
        (Purple, Blue), (Purple, Pink), (White, Grey), (Grey, Black),
    ];

    private static double Hue(double r, double g, double b, double max, double min)
    {
        var d = max - min;
        var h = max == r ? (g - b) / d % 6 : max == g ? (b - r) / d + 2 : (r - g) / d + 4;
        h *= 60;
        return h < 0 ? h + 360 : h;
    }
}

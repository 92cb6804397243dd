using System.Text;
using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>
/// Accuracy as docs/evaluation.md ("Figures") defines it: exact match after normalization (case, spaces,
/// punctuation) against any accepted answer, and ANLS (average normalized Levenshtein
/// similarity with τ = 0.5: similarities at or below 1 − τ count as 0, as in Biten et al. 2019).
/// </summary>
public static class AnswerScoring
{
    public const double AnlsTau = 0.5;

    /// <summary>
    /// Lower-case letters and digits only: case, whitespace and punctuation are all dropped, so
    /// "PARK RD", "park rd" and "ParkRd" match, as do "B-113" and "B113". Whitespace goes entirely
    /// (not just collapsed) because scene-text readers, PP-OCR's among them, often omit the space
    /// between words; a reading that differs only there reads the sign right.
    /// </summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            if (char.IsLetterOrDigit(c)) sb.Append(c);
        return sb.ToString();
    }

    public static bool ExactMatch(string prediction, IEnumerable<string> accepted)
    {
        // An answer that normalizes to nothing ("—", "?") matches nothing.
        var p = Normalize(prediction);
        return p.Length > 0 && accepted.Any(a => Normalize(a) == p);
    }

    public static double Anls(string prediction, IEnumerable<string> accepted)
    {
        var p = Normalize(prediction);
        var best = 0.0;
        foreach (var a in accepted.Select(Normalize))
        {
            var longest = Math.Max(p.Length, a.Length);
            var similarity = longest == 0 ? 1.0 : 1.0 - (double)Levenshtein(p, a) / longest;
            best = Math.Max(best, similarity > 1 - AnlsTau ? similarity : 0);
        }
        return best;
    }

    public static int Levenshtein(string a, string b) => EditDistance.Levenshtein(a, b);
}

using System.Text.RegularExpressions;
using CollabVlm.Primitives;

namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// Which of the signs found a question means, and where the reader should look for it. Each part of
/// the <see cref="SignQuery"/> scores a candidate in [0, 1] — colour by name, place by rank among the
/// candidates (the leftmost is "on the left" however far right it stands), content by its characters,
/// contained words by edit distance — and the scores add up; a legible reading breaks ties. Colour
/// and contained words name a sign outright: when no candidate has them, the sign asked about was not
/// found, and the global pass answers nothing (maximally unsure) rather than another sign's text, so the
/// gate asks for detail and the weighted relevance map sends the crop where the sign may be.
/// </summary>
public static partial class SignChoice
{
    /// <summary>Relevance kept by places the question rules out (so a wrong guess about them still leaves a trace).</summary>
    public const double Floor = 0.15;

    /// <summary>How well <paramref name="candidate"/> fits the query, given the other candidates (for places).</summary>
    public static double Score(SignQuery query, SignCandidate candidate, IReadOnlyList<SignCandidate> all)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        var text = candidate.Reading.Text.Trim();
        var score = 0.0;
        if (query.Colour is { } colour)
            score += candidate.Colour is null ? 0 : ColourNames.Similarity(candidate.Colour, colour);
        if (query.Horizontal is { } h)
            score += Place(h == HorizontalPlace.Left ? 0 : h == HorizontalPlace.Right ? 1 : 0.5, candidate.CentreX, all.Select(c => c.CentreX));
        if (query.Vertical is { } v)
            score += Place(v == VerticalPlace.Top ? 0 : v == VerticalPlace.Bottom ? 1 : 0.5, candidate.CentreY, all.Select(c => c.CentreY));
        if (query.Content != SignContent.Any)
            score += ContentFit(query.Content, text);
        if (query.Words.Count > 0)
            score += WordsFit(query.Words, text);
        // Tie-break only: a legible, confident reading over an empty one.
        return score + (text.Length > 0 ? 0.05 + 0.05 * candidate.Reading.MeanConfidence : 0);
    }

    /// <summary>
    /// The candidate the question means; null when there is none, or when <paramref name="strict"/>
    /// and none has the colour or words the question names. Not strict (the refined pass, the last
    /// word), an answer beats none: only legible candidates compete when there are any.
    /// </summary>
    public static SignCandidate? Choose(SignQuery query, IReadOnlyList<SignCandidate> candidates, bool strict)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (!strict && candidates.Any(c => c.Reading.Text.Trim().Length > 0))
            candidates = candidates.Where(c => c.Reading.Text.Trim().Length > 0).ToList();
        if (candidates.Count == 0) return null;
        var best = candidates.Select((c, i) => (Candidate: c, Score: Score(query, c, candidates), Index: i))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Index).First().Candidate;
        if (!strict) return best;
        var text = best.Reading.Text.Trim();
        if (query.Colour is { } colour && (best.Colour is null || ColourNames.Similarity(best.Colour, colour) == 0)) return null;
        if (query.Words.Count > 0 && WordsFit(query.Words, text) < 0.5) return null;
        return best;
    }

    /// <summary>
    /// The relevance map weighted by the question, the reader's counterpart of question-conditioned
    /// attention: cells inside a found sign keep relevance in proportion to how well it fits; cells
    /// elsewhere by how much of the named colour is around them (<paramref name="cellColours"/>: one
    /// colour name per cell, row-major) and by the place named. A question that names no sign gets the
    /// map back unchanged.
    /// </summary>
    public static RelevanceMap Weight(RelevanceMap map, SignQuery query, IReadOnlyList<SignCandidate> candidates, IReadOnlyList<string>? cellColours)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(query);
        if (!query.NamesASign) return map;
        if (cellColours is not null && cellColours.Count != map.Values.Length)
            throw new ArgumentException($"{cellColours.Count} cell colours for a {map.Width}×{map.Height} map", nameof(cellColours));
        var scores = candidates.Select(c => Score(query, c, candidates)).ToList();
        var best = scores.Count == 0 ? 0 : scores.Max();
        var values = new float[map.Values.Length];
        for (var y = 0; y < map.Height; y++)
            for (var x = 0; x < map.Width; x++)
            {
                double cx = (x + 0.5) / map.Width, cy = (y + 0.5) / map.Height;
                var weight = -1.0;
                for (var i = 0; i < candidates.Count; i++)
                {
                    var b = candidates[i].Box;
                    if (cx >= b.X0 && cx <= b.X1 && cy >= b.Y0 && cy <= b.Y1)
                        weight = Math.Max(weight, best > 0 ? Floor + (1 - Floor) * scores[i] / best : 1);
                }
                if (weight < 0)
                    weight = PlacePrior(query, cx, cy) * ColourAround(query, cellColours, map.Width, map.Height, x, y);
                values[y * map.Width + x] = (float)(map.Values[y * map.Width + x] * weight);
            }
        return new RelevanceMap(map.Width, map.Height, values);
    }

    /// <summary>1 at the named end of the candidates' spread, 0 at the other; by absolute place when they do not spread.</summary>
    private static double Place(double target, double value, IEnumerable<double> all)
    {
        var list = all.ToList();
        double min = list.Min(), max = list.Max();
        var relative = max - min > 0.05 ? (value - min) / (max - min) : value;
        return 1 - Math.Abs(target - relative) / Math.Max(target, 1 - target);
    }

    private static double PlacePrior(SignQuery query, double x, double y)
    {
        var weight = 1.0;
        if (query.Horizontal is { } h) weight *= Floor + (1 - Floor) * Place(h == HorizontalPlace.Left ? 0 : h == HorizontalPlace.Right ? 1 : 0.5, x, [0, 1]);
        if (query.Vertical is { } v) weight *= Floor + (1 - Floor) * Place(v == VerticalPlace.Top ? 0 : v == VerticalPlace.Bottom ? 1 : 0.5, y, [0, 1]);
        return weight;
    }

    /// <summary>Share of the named colour in the 3×3 cells around (x, y), floored; 1 when no colour is named.</summary>
    private static double ColourAround(SignQuery query, IReadOnlyList<string>? cellColours, int width, int height, int x, int y)
    {
        if (query.Colour is not { } colour || cellColours is null) return 1;
        double sum = 0;
        var n = 0;
        for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                sum += ColourNames.Similarity(cellColours[ny * width + nx], colour);
                n++;
            }
        return Floor + (1 - Floor) * sum / n;
    }

    /// <summary>How well a reading holds the kind of text asked for.</summary>
    public static double ContentFit(SignContent content, string text)
    {
        if (text.Length == 0) return 0;
        var digits = text.Count(char.IsDigit);
        var letters = text.Count(char.IsLetter);
        return content switch
        {
            SignContent.Number => digits == 0 ? 0 : 0.5 + 0.5 * digits / (double)(digits + letters),
            SignContent.Price => digits == 0 ? 0 : text.IndexOfAny(['$', '€', '£', '¥']) >= 0 || HasDecimals(text) ? 1 : 0.4,
            SignContent.Phone => digits >= 7 ? 1 : digits > 0 ? 0.3 : 0,
            SignContent.Word => letters == 0 ? 0 : digits == 0 ? 1 : 0.4,
            _ => 0,
        };
    }

    /// <summary>Mean over the named words of the best normalized edit similarity to a word of the reading.</summary>
    public static double WordsFit(IReadOnlyList<string> words, string text)
    {
        var read = Normalize(text);
        if (read.Length == 0 || words.Count == 0) return 0;
        var tokens = read.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Select(Normalize).Where(w => w.Length > 0).Select(w =>
            read.Contains(w, StringComparison.Ordinal) ? 1 : tokens.Max(t => 1 - EditDistance.Levenshtein(w, t) / (double)Math.Max(w.Length, t.Length))).DefaultIfEmpty(0).Average();
    }

    private static bool HasDecimals(string text) => DecimalsPattern().IsMatch(text);

    [GeneratedRegex(@"\d[.,]\d\d")]
    private static partial Regex DecimalsPattern();

    private static string Normalize(string s) =>
        string.Join(' ', new string(s.ToUpperInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

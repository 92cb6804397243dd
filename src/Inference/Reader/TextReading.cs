namespace CollabVlm.Inference.Reader;

/// <summary>Text read from one or more lines, with one <see cref="TokenStat"/> per kept CTC step.</summary>
public sealed record TextReading(string Text, IReadOnlyList<TokenStat> Tokens)
{
    public static TextReading Empty { get; } = new("", []);

    /// <summary>Mean top-1 probability over the tokens (PaddleOCR's line score); 0 when empty.</summary>
    public double MeanConfidence => Tokens.Count == 0 ? 0 : Tokens.Average(t => t.MaxProb);

    /// <summary>Joins readings in order with single spaces, keeping every token.</summary>
    public static TextReading Join(IEnumerable<TextReading> readings)
    {
        var parts = readings.Where(r => r.Text.Trim().Length > 0).ToList();
        return new TextReading(
            string.Join(" ", parts.Select(r => r.Text.Trim())),
            parts.SelectMany(r => r.Tokens).ToList());
    }
}

namespace CollabVlm.Inference.Reader.Question;

/// <summary>
/// What a question says about which sign it asks about: its plate colour (a canonical name from
/// <see cref="ColourNames"/>), where it is in the frame, what kind of text it holds and words it is
/// known to contain. Every part is optional; a question that names none of them (<see cref="NamesASign"/>
/// false) leaves the reader reading every line, as it did before it looked at questions.
/// </summary>
public sealed record SignQuery
{
    public static SignQuery None { get; } = new();

    public string? Colour { get; init; }
    public HorizontalPlace? Horizontal { get; init; }
    public VerticalPlace? Vertical { get; init; }
    public SignContent Content { get; init; } = SignContent.Any;

    /// <summary>Words the sign contains, as the question wrote them ("the sign that says OPEN").</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    public bool NamesASign => Colour is not null || Horizontal is not null || Vertical is not null || Content != SignContent.Any || Words.Count > 0;

    public override string ToString() =>
        string.Join(", ", new[]
        {
            Colour, Horizontal?.ToString(), Vertical?.ToString(),
            Content == SignContent.Any ? null : Content.ToString(),
            Words.Count == 0 ? null : $"says \"{string.Join(' ', Words)}\"",
        }.Where(p => p is not null)) is { Length: > 0 } s ? s : "any sign";
}

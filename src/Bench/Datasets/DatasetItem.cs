namespace CollabVlm.Bench.Datasets;

/// <summary>
/// One question of a data set (one line of <c>manifest.jsonl</c>). <paramref name="Image"/> is
/// relative to the data set's folder; <paramref name="Box"/> is the true answer region in pixels
/// of the image, when known. The generator also records the text's cap height, whether the frame
/// holds distractor signs, the frame size and its source photo (for breakdowns); other data sets may leave them out.
/// </summary>
public sealed record DatasetItem(string Id, string Image, string Question, IReadOnlyList<string> Answers, PixelBox? Box = null)
{
    public int? TextHeightPx { get; init; }
    public int Distractors { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }

    /// <summary>Where the frame's picture came from (the photo-set builder's photo file), when recorded.</summary>
    public string? Source { get; init; }
}

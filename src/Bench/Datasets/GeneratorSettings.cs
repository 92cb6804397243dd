namespace CollabVlm.Bench.Datasets;

/// <summary>
/// What <see cref="DatasetGenerator"/> makes: <paramref name="Count"/> frames (one question each),
/// widths and cap heights drawn uniformly from the ranges, a share of frames with one or two
/// distractor signs, backgrounds procedural or (when <paramref name="PhotosFolder"/> is set) half
/// of them photos. Frames are stored as JPEG at <paramref name="JpegQuality"/>.
/// </summary>
public sealed record GeneratorSettings(int Count, int Seed, string? PhotosFolder = null)
{
    public int MinWidth { get; init; } = 2048;
    public int MaxWidth { get; init; } = 4000;
    public int MinTextHeight { get; init; } = 8;
    public int MaxTextHeight { get; init; } = 64;
    public double DistractorShare { get; init; } = 0.4;
    public int JpegQuality { get; init; } = 90;

    public string? Validate()
    {
        if (Count < 1) return "--count must be at least 1";
        if (MinWidth < 256 || MaxWidth < MinWidth) return "frame widths need 256 ≤ min ≤ max";
        if (MinTextHeight < 4 || MaxTextHeight < MinTextHeight) return "text heights need 4 ≤ min ≤ max";
        if (DistractorShare is < 0 or > 1) return "the distractor share is a fraction in [0, 1]";
        if (JpegQuality is < 1 or > 100) return "JPEG quality must be in 1..100";
        if (PhotosFolder is not null && !Directory.Exists(PhotosFolder)) return $"--photos: folder {PhotosFolder} does not exist";
        return null;
    }
}

namespace CollabVlm.Bench.Datasets;

/// <summary>
/// What <see cref="PhotoSetBuilder"/> makes from a folder of photograph sources (one subfolder per
/// source, e.g. per Debian package): <paramref name="Count"/> frames from every source but
/// <paramref name="Holdout"/> into <c>tune/</c>, <paramref name="HoldoutCount"/> frames from it into
/// <c>holdout/</c>. Frames are cuts <see cref="MinWidth"/>–<see cref="MaxWidth"/> px wide of photos at
/// least <see cref="MinWidth"/> px wide (never upscaled); the answer's cap height cycles through
/// <see cref="Bands"/> (±8 %); a <see cref="DistractorShare"/> of frames get one or two more signs and
/// a question naming the answer's (colour, position or content). JPEG quality is drawn from
/// <see cref="MinJpegQuality"/>–<see cref="MaxJpegQuality"/>.
/// </summary>
public sealed record PhotoSetSettings(string PhotosFolder, string Holdout, int Count, int HoldoutCount, int Seed)
{
    /// <summary>Cap heights the answer signs are made at, pixels: six bands from small to large.</summary>
    public static IReadOnlyList<int> Bands { get; } = [10, 14, 20, 28, 42, 63];

    public int MinWidth { get; init; } = 3000;
    public int MaxWidth { get; init; } = 4000;
    public double DistractorShare { get; init; } = 0.3;
    public int MinJpegQuality { get; init; } = 72;
    public int MaxJpegQuality { get; init; } = 92;

    public string? Validate()
    {
        if (!Directory.Exists(PhotosFolder)) return $"--photos: folder {PhotosFolder} does not exist";
        if (string.IsNullOrWhiteSpace(Holdout)) return "--holdout names the source (subfolder of --photos) kept out of tuning";
        if (!Directory.Exists(Path.Combine(PhotosFolder, Holdout))) return $"--holdout: {Holdout} is not a subfolder of {PhotosFolder}";
        if (Count < 1 || HoldoutCount < 0) return "--count must be ≥ 1 and --holdout-count ≥ 0";
        if (MinWidth < 256 || MaxWidth < MinWidth) return "frame widths need 256 ≤ min ≤ max";
        if (DistractorShare is < 0 or > 1) return "the distractor share is a fraction in [0, 1]";
        if (MinJpegQuality < 1 || MaxJpegQuality > 100 || MinJpegQuality > MaxJpegQuality) return "JPEG qualities need 1 ≤ min ≤ max ≤ 100";
        return null;
    }
}

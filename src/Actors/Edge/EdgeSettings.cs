using CollabVlm.Imaging;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// Settings of the edge devices on a node. Bound from configuration section "Edge"
/// (environment variables <c>COLLABVLM_Edge__GlobalLongSide</c> etc.).
/// </summary>
public sealed record EdgeSettings
{
    /// <summary>Long side of the global image, pixels (the server's model input size).</summary>
    public int GlobalLongSide { get; init; } = 768;

    public int GlobalJpegQuality { get; init; } = 80;

    /// <summary>The global image travels in one remote message, so its quality is lowered until it fits this.</summary>
    public int MaxGlobalBytes { get; init; } = 90_000;

    /// <summary>Re-submit when no server accepts the query within this.</summary>
    public TimeSpan AcceptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>After an accepted query's server dies, wait this long for a late answer before re-submitting.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra time after the query's deadline before the edge gives up on a server.</summary>
    public TimeSpan AnswerGrace { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxAttempts { get; init; } = 3;

    /// <summary>Frames held for unanswered queries per device; more are refused as busy.</summary>
    public int MaxPendingQueries { get; init; } = 32;

    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxQuestionLength { get; init; } = 500;

    public long MaxImagePixels { get; init; } = ImageLimits.Default.MaxPixels;

    public string? Validate()
    {
        if (GlobalLongSide < 32) return "Edge:GlobalLongSide must be ≥ 32";
        if (GlobalJpegQuality is < 1 or > 100) return "Edge:GlobalJpegQuality must be in 1..100";
        if (MaxGlobalBytes < 4096) return "Edge:MaxGlobalBytes must be ≥ 4096";
        if (MaxAttempts < 1) return "Edge:MaxAttempts must be ≥ 1";
        if (MaxPendingQueries < 1) return "Edge:MaxPendingQueries must be ≥ 1";
        return null;
    }
}

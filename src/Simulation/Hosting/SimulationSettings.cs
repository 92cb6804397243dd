namespace CollabVlm.Simulation.Hosting;

/// <summary>
/// Load an edge node generates by itself (load tests, demos, the Kubernetes edge Deployment): every
/// device renders a scene-text frame and asks about it, one question at a time, every <see cref="AskInterval"/>.
/// Bound from configuration section "Simulation" (<c>COLLABVLM_Simulation__AskInterval=00:00:02</c>).
/// </summary>
public sealed record SimulationSettings
{
    /// <summary>Pause between one device's questions; zero (the default) = the devices only answer what they are asked.</summary>
    public TimeSpan AskInterval { get; init; } = TimeSpan.Zero;

    public int FrameWidth { get; init; } = 2048;
    public int FrameHeight { get; init; } = 1536;

    /// <summary>Cap heights of the sign text are drawn uniformly from this range (pixels): small ones need the crop.</summary>
    public int MinTextPixels { get; init; } = 12;
    public int MaxTextPixels { get; init; } = 40;

    public string Question { get; init; } = "What does the sign say?";

    /// <summary>Seed of the frame generator (each device offsets it by its index).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Folder of JPEG frames rendered beforehand (the chaos bench renders them once); the devices cycle through them
    /// instead of rendering a frame per question, so the load generator does not eat the CPU it measures.
    /// </summary>
    public string? FrameFolder { get; init; }

    /// <summary>Questions each device asks before it stops; zero (the default) = no limit.</summary>
    public int QuestionsPerDevice { get; init; }

    /// <summary>When set, one JSON line per question asked and per outcome is appended here (see <see cref="OutcomeLine"/>).</summary>
    public string? OutcomeLog { get; init; }

    public bool Enabled => AskInterval > TimeSpan.Zero;

    public string? Validate()
    {
        if (AskInterval < TimeSpan.Zero) return "Simulation:AskInterval must not be negative";
        if (FrameWidth is < 64 or > 8192 || FrameHeight is < 64 or > 8192) return "Simulation:FrameWidth and FrameHeight must be in 64..8192";
        if (MinTextPixels < 4 || MaxTextPixels < MinTextPixels) return "Simulation:MinTextPixels must be ≥ 4 and ≤ MaxTextPixels";
        if (string.IsNullOrWhiteSpace(Question)) return "Simulation:Question must not be empty";
        if (QuestionsPerDevice < 0) return "Simulation:QuestionsPerDevice must not be negative";
        if (FrameFolder is not null && !Directory.Exists(FrameFolder)) return $"Simulation:FrameFolder does not exist: {FrameFolder}";
        return null;
    }
}

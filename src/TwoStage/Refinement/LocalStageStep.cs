namespace CollabVlm.TwoStage.Refinement;

/// <summary>What the caller of <see cref="LocalStage"/> does next.</summary>
public abstract record LocalStageStep
{
    private LocalStageStep() { }

    /// <summary>Nothing now: wait for the next layer, the end of the stream or the running pass.</summary>
    public sealed record Wait : LocalStageStep
    {
        public static Wait Instance { get; } = new();
    }

    /// <summary>Run a refined pass on global + the first <paramref name="Layers"/> complete layers.</summary>
    public sealed record Refine(int Layers) : LocalStageStep;

    /// <summary>A pass was sure on a prefix: stop the stream (the layers not sent are saved), then report its end.</summary>
    public sealed record StopStream : LocalStageStep
    {
        public static StopStream Instance { get; } = new();
    }

    /// <summary>Answer with this refined pass.</summary>
    public sealed record Answer(RefinedPass Pass) : LocalStageStep;

    /// <summary>The local stage gave nothing usable: answer with the global pass, marked degraded, for this reason.</summary>
    public sealed record Degrade(string Reason) : LocalStageStep;
}

using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Region;

/// <summary>
/// What the edge cuts for a region request: <paramref name="Region"/> (the requested box, or the one it snapped onto
/// text it found) and, when runners-up are on, small crops of the next-best lines to send in the same local image.
/// </summary>
public sealed record RegionCut(NormalizedBox Region, IReadOnlyList<RunnerUp> RunnersUp)
{
    /// <summary>
    /// The share of its own pixels the region is sent at: below 1 when the edge snapped it onto a line taller than
    /// <see cref="RunnerUpChoice.MaxLinePx"/> (a large line reads as well at that height, for a fraction of the bytes).
    /// </summary>
    public double Scale { get; init; } = 1;

    /// <summary>The region alone, as an edge without a scan cuts it.</summary>
    public static RegionCut Only(NormalizedBox region) => new(region, []);
}

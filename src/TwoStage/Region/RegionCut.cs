using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Region;

/// <summary>
/// What the edge cuts for a region request: <paramref name="Region"/> (the requested box, or the one it snapped onto
/// text it found) and, when runners-up are on, small crops of the next-best lines to send in the same local image.
/// </summary>
public sealed record RegionCut(NormalizedBox Region, IReadOnlyList<RunnerUp> RunnersUp)
{
    /// <summary>The region alone, as an edge without a scan cuts it.</summary>
    public static RegionCut Only(NormalizedBox region) => new(region, []);
}

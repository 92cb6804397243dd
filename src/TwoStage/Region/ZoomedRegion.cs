using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Region;

/// <summary>
/// What the first level of a <see cref="TwoLevelZoom"/> gave: the wide view's box, the tight region chosen on it, the
/// wide view's bytes (sent up the link before the local image), the edge's time to cut and encode it, and the server's
/// model time on it.
/// </summary>
public sealed record ZoomedRegion(NormalizedBox Wide, NormalizedBox Region, int WideBytes, TimeSpan EdgeTime, TimeSpan ModelTime);

using CollabVlm.Imaging;

namespace CollabVlm.Inference.Reader;

/// <summary>Text lines found in an image (its pixels) and the detector's pooled probability map.</summary>
public sealed record TextDetection(IReadOnlyList<PixelRect> Lines, RelevanceMap Relevance);

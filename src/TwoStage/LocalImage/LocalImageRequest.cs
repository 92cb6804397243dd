using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.LocalImage;

/// <summary>
/// What the server asks of the local image: the region (normalized to the original frame), the time
/// the transfer may take, and its caps on resolution, JPEG quality and bytes.
/// </summary>
public sealed record LocalImageRequest(NormalizedBox Box, TimeSpan TimeLeft, int MaxLongSide, int Quality, long MaxBytes);

namespace CollabVlm.Primitives;

/// <summary>
/// One part of a local image that holds several crops of the frame (the region and the runners-up the edge found):
/// the crop of <paramref name="InFrame"/> appears at <paramref name="InImage"/>, both normalized (to the frame and to
/// the local image). A reader maps what it finds in a tile back to the frame through it.
/// </summary>
public sealed record RegionTile(NormalizedBox InImage, NormalizedBox InFrame)
{
    /// <summary>Null when both boxes are usable; otherwise a sentence naming what is wrong.</summary>
    public string? Validate() =>
        InImage?.Validate() is { } image ? $"tile's place in the local image: {image}"
        : InFrame?.Validate() is { } frame ? $"tile's region of the frame: {frame}"
        : InImage is null || InFrame is null ? "a tile needs both its place in the local image and its region of the frame"
        : null;
}

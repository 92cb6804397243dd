using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// What the model sees: the question, the global image (encoded JPEG/PNG bytes) and, for the
/// refined pass, the local image cut from the original frame at <paramref name="LocalBox"/>. Where the edge packed
/// runners-up beside the region, <paramref name="LocalTiles"/> lays out the crops in the local image (the first is
/// the region): a reader that reads them apart maps each back to the frame; a model that does not sees one image.
/// </summary>
public sealed record ModelInput(string Question, byte[] Global, byte[]? Local = null, NormalizedBox? LocalBox = null,
    IReadOnlyList<RegionTile>? LocalTiles = null)
{
    public bool IsRefined => Local is not null;
}

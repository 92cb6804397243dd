using CollabVlm.Inference;
using CollabVlm.Primitives;

namespace CollabVlm.TwoStage.Region;

/// <summary>
/// Step 3, right after the gate: the region of the original frame to ask the edge for, chosen on
/// the global pass's relevance map by the ViCrop windows (<see cref="RoiSelector"/>) with a base
/// side of <paramref name="basePixels"/> original pixels. Normalized, so the server never needs the
/// original's pixels.
/// </summary>
public static class RegionChoice
{
    public static NormalizedBox For(ModelOutput global, int basePixels, int originalWidth, int originalHeight)
    {
        ArgumentNullException.ThrowIfNull(global);
        return RoiSelector.Select(global.Relevance, RoiSelector.BaseFraction(basePixels, originalWidth, originalHeight));
    }
}

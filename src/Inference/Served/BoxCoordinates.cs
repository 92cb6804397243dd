namespace CollabVlm.Inference.Served;

/// <summary>How the numbers of a grounding answer map onto the image.</summary>
public enum BoxCoordinates
{
    /// <summary>All ≤ 1: unit; all within the image's pixel size: pixels; all ≤ 1000: per mille.</summary>
    Auto,
    /// <summary>Pixels of the image sent (Qwen2.5-VL's <c>bbox_2d</c>).</summary>
    Pixels,
    /// <summary>0–1000 of each side (Qwen2-VL, several grounding models).</summary>
    Permille,
    /// <summary>0–1 of each side.</summary>
    Unit,
}

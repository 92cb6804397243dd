namespace CollabVlm.Imaging;

/// <summary>
/// Bounds applied to untrusted images before any pixel is decoded, so a tiny file that claims a
/// huge canvas (a "decompression bomb") cannot make us allocate gigabytes.
/// </summary>
public sealed record ImageLimits(long MaxPixels = 50_000_000)
{
    /// <summary>50 megapixels: above any camera frame we expect, far below what would exhaust memory.</summary>
    public static ImageLimits Default { get; } = new();
}

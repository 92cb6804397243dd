namespace CollabVlm.Inference.Vlm;

/// <summary>
/// One image as the vision encoder takes it: <see cref="Count"/> square tiles of
/// <see cref="Side"/> pixels, RGB planes, normalized; the tiles row by row, then the whole image
/// squashed to one tile (the "global" tile). <see cref="Rows"/> × <see cref="Cols"/> is 0 × 0 when the
/// image was not split.
/// </summary>
public sealed record PreparedImage(float[] Pixels, int Count, int Side, int Rows, int Cols);

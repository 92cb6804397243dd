namespace CollabVlm.Primitives;

/// <summary>
/// The server's relevance map shrunk for the wire: at most a few hundred cells over the frame, each
/// a byte (0 = nothing, 255 = the map's maximum), row-major. Sent with a region request so the edge
/// can rank what it found in the full frame by what the server's model found relevant.
/// </summary>
public sealed record CoarseRelevance(int Width, int Height, byte[] Cells)
{
    public byte this[int x, int y] => Cells[y * Width + x];

    /// <summary>The cell value (0–1) at a point normalized to the frame.</summary>
    public double At(double x, double y)
    {
        var cx = Math.Clamp((int)(x * Width), 0, Width - 1);
        var cy = Math.Clamp((int)(y * Height), 0, Height - 1);
        return this[cx, cy] / 255.0;
    }

    /// <summary>The largest cell value (0–1) over a box normalized to the frame.</summary>
    public double MaxOver(NormalizedBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var x0 = Math.Clamp((int)(box.X0 * Width), 0, Width - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(box.X1 * Width) - 1, x0, Width - 1);
        var y0 = Math.Clamp((int)(box.Y0 * Height), 0, Height - 1);
        var y1 = Math.Clamp((int)Math.Ceiling(box.Y1 * Height) - 1, y0, Height - 1);
        var max = 0;
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
                max = Math.Max(max, this[x, y]);
        return max / 255.0;
    }

    /// <summary>Null when usable; otherwise what is wrong.</summary>
    public string? Validate() =>
        Width < 1 || Height < 1 || Width > 64 || Height > 64 ? $"a coarse relevance map has 1–64 cells a side, got {Width}×{Height}"
        : Cells is null || Cells.Length != Width * Height ? $"a {Width}×{Height} coarse relevance map needs {Width * Height} cells, got {Cells?.Length ?? 0}"
        : null;
}

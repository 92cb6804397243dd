namespace CollabVlm.Primitives;

/// <summary>
/// A box in coordinates normalized to [0,1] of the original frame, so the server never needs the
/// original's pixels. <see cref="Create"/> validates; the constructor alone does not (records
/// arriving over the wire are checked with <see cref="Validate"/>).
/// </summary>
public sealed record NormalizedBox(double X0, double Y0, double X1, double Y1)
{
    public double Width => X1 - X0;
    public double Height => Y1 - Y0;
    public double Area => Width * Height;

    public static NormalizedBox Create(double x0, double y0, double x1, double y1)
    {
        var box = new NormalizedBox(x0, y0, x1, y1);
        var problem = box.Validate();
        return problem is null ? box : throw new ArgumentException(problem);
    }

    /// <summary>
    /// A box <paramref name="width"/> × <paramref name="height"/> (each at most 1) centred on the point as nearly as the
    /// frame allows: shifted inward where it would stick out.
    /// </summary>
    public static NormalizedBox Centred(double centreX, double centreY, double width, double height)
    {
        var (x0, x1) = Inside(centreX, Math.Min(1, width));
        var (y0, y1) = Inside(centreY, Math.Min(1, height));
        return Create(x0, y0, x1, y1);

        static (double Low, double High) Inside(double centre, double extent)
        {
            var low = Math.Clamp(centre - extent / 2, 0, 1 - extent);
            return (low, Math.Min(1, low + extent));
        }
    }

    /// <summary>Whether the point lies inside the box or on its edge.</summary>
    public bool Contains(double x, double y) => x >= X0 && x <= X1 && y >= Y0 && y <= Y1;

    /// <summary>Null when the box is usable; otherwise a sentence naming what is wrong.</summary>
    public string? Validate()
    {
        double[] all = [X0, Y0, X1, Y1];
        if (all.Any(v => double.IsNaN(v) || double.IsInfinity(v)))
            return $"box {this} has a coordinate that is not a finite number";
        if (all.Any(v => v < 0 || v > 1))
            return $"box {this} lies outside [0,1]: coordinates are normalized to the original frame";
        if (X1 <= X0 || Y1 <= Y0)
            return $"box {this} has zero area: x1 must exceed x0 and y1 must exceed y0";
        return null;
    }

    public override string ToString() => FormattableString.Invariant($"[{X0:0.###},{Y0:0.###},{X1:0.###},{Y1:0.###}]");
}

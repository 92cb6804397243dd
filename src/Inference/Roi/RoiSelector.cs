using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// Picks the region of interest from a relevance map with the ViCrop recipe (docs/architecture.md, "Region of interest";
/// "MLLMs Know Where to Look"): for several window scales, find the window with the most relevance,
/// score how much it stands out from its surroundings, keep the sharpest scale, and centre a crop there.
/// </summary>
public static class RoiSelector
{
    /// <summary>ViCrop's scales r ∈ {1, 1.2, …, 2} of the base crop side.</summary>
    public static IReadOnlyList<double> DefaultScales { get; } = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0];

    /// <summary>
    /// The base crop side as a fraction of the frame's long side: the model's input size measured in
    /// original pixels (<paramref name="basePixels"/>), capped at the whole frame.
    /// </summary>
    public static double BaseFraction(int basePixels, int originalWidth, int originalHeight) =>
        Math.Min(1.0, (double)basePixels / Math.Max(originalWidth, originalHeight));

    /// <inheritdoc cref="SelectDetailed"/>
    public static NormalizedBox Select(RelevanceMap map, double baseFraction, IReadOnlyList<double>? scales = null) =>
        SelectDetailed(map, baseFraction, scales).Box;

    /// <summary>
    /// Chooses the crop. <paramref name="baseFraction"/> is the base crop side as a fraction of the
    /// map's (= the original frame's) longer side: the model's input size in original pixels divided
    /// by the original long side. The returned box is normalized to the map, which equals the
    /// original frame's normalization because the global image keeps the frame's aspect.
    /// </summary>
    /// <exception cref="ArgumentException">A bad fraction, scale list or map, with the problem named.</exception>
    public static RoiChoice SelectDetailed(RelevanceMap map, double baseFraction, IReadOnlyList<double>? scales = null)
    {
        ValidateMap(map);
        if (!(baseFraction > 0 && baseFraction <= 1))
            throw new ArgumentException($"base fraction must lie in (0, 1], got {baseFraction}: it is the base crop side over the frame's long side", nameof(baseFraction));
        var ascending = ValidateScales(scales ?? DefaultScales);

        var width = map.Width;
        var height = map.Height;
        var longSide = Math.Max(width, height);
        var table = SummedAreaTable(map);
        // Window sums come out of differences of the table, so exact ties (a flat map) show up as
        // rounding noise; anything within this band counts as equal. Scaled by the map's magnitude.
        var tolerance = 1e-9 * Math.Max(MaxAbs(map.Values), double.Epsilon);

        Window? best = null;
        foreach (var r in ascending)
        {
            var side = Math.Clamp((int)Math.Round(baseFraction * r * longSide, MidpointRounding.AwayFromZero), 1, longSide);
            // A square that would overhang the shorter dimension is cut to it (a rectangle); the
            // crop itself keeps the true side, see ToBox.
            var candidate = BestWindow(table, width, height, Math.Min(side, width), Math.Min(side, height), r, tolerance);
            // Strictly greater: ties keep the smaller scale (scales ascend), the tighter crop.
            if (best is null || candidate.Sharpness > best.Value.Sharpness + tolerance)
                best = candidate;
        }

        var chosen = best!.Value;
        var box = ToBox(chosen, map, baseFraction * chosen.Scale * longSide);
        return new RoiChoice(box, chosen.Scale, chosen.Sharpness);
    }

    private readonly record struct Window(int X, int Y, int W, int H, double Scale, double Sharpness);

    private static Window BestWindow(double[] table, int mapWidth, int mapHeight, int w, int h, double scale, double tolerance)
    {
        var stride = mapWidth + 1;
        var maxX = mapWidth - w;
        var maxY = mapHeight - h;

        var maxSum = double.NegativeInfinity;
        for (var y = 0; y <= maxY; y++)
            for (var x = 0; x <= maxX; x++)
                maxSum = Math.Max(maxSum, WindowSum(table, stride, x, y, w, h));

        // Among windows tied for the maximum (a flat or empty map, a plateau wider than the
        // window) take the one nearest the map's centre, so a map with no information yields a
        // centred crop rather than one stuck in the top-left corner.
        int bestX = 0, bestY = 0;
        var bestDistance = double.PositiveInfinity;
        for (var y = 0; y <= maxY; y++)
            for (var x = 0; x <= maxX; x++)
            {
                if (WindowSum(table, stride, x, y, w, h) < maxSum - tolerance * w * h)
                    continue;
                var dx = x + w / 2.0 - mapWidth / 2.0;
                var dy = y + h / 2.0 - mapHeight / 2.0;
                var distance = dx * dx + dy * dy;
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    (bestX, bestY) = (x, y);
                }
            }

        // Neighbours are the same-size windows one window side to the left, right, above and below.
        // One that would fall outside the map is clamped to the nearest valid position (possibly
        // overlapping, or equal to, the best window itself). Treating the outside as zero relevance
        // instead would make any window against the border look sharp for free; clamping compares
        // it with what the map actually holds there, and is the conservative choice.
        var neighbours =
            WindowSum(table, stride, Math.Max(bestX - w, 0), bestY, w, h) +
            WindowSum(table, stride, Math.Min(bestX + w, maxX), bestY, w, h) +
            WindowSum(table, stride, bestX, Math.Max(bestY - h, 0), w, h) +
            WindowSum(table, stride, bestX, Math.Min(bestY + h, maxY), w, h);
        var sharpness = (WindowSum(table, stride, bestX, bestY, w, h) - neighbours / 4) / ((double)w * h);
        return new Window(bestX, bestY, w, h, scale, sharpness);
    }

    /// <summary>
    /// The crop of the true side (<paramref name="sideCells"/>, not the window's rounded one)
    /// centred on the relevance inside the chosen window, normalized, and shifted, not shrunk, to
    /// lie inside the frame. Centring on the window's mass, not its middle, matters when the
    /// relevant region is smaller than the window: every window that contains it ties for the
    /// maximum, and the tie-break may pick one with the region at its very edge, where a crop of
    /// the window would cut it.
    /// </summary>
    private static NormalizedBox ToBox(Window window, RelevanceMap map, double sideCells)
    {
        var (centreX, centreY) = Centroid(window, map);
        var (x0, x1) = ShiftedInside(centreX / map.Width, Math.Min(sideCells / map.Width, 1.0));
        var (y0, y1) = ShiftedInside(centreY / map.Height, Math.Min(sideCells / map.Height, 1.0));
        return NormalizedBox.Create(x0, y0, x1, y1);
    }

    /// <summary>Relevance-weighted mean of the window's cell centres (negative values count as 0); its middle when it holds none.</summary>
    private static (double X, double Y) Centroid(Window window, RelevanceMap map)
    {
        double mass = 0, sx = 0, sy = 0;
        for (var y = window.Y; y < window.Y + window.H; y++)
            for (var x = window.X; x < window.X + window.W; x++)
            {
                var v = Math.Max(0.0, map[x, y]);
                mass += v;
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
            }
        return mass > 0 ? (sx / mass, sy / mass) : (window.X + window.W / 2.0, window.Y + window.H / 2.0);
    }

    private static (double Low, double High) ShiftedInside(double centre, double extent)
    {
        var low = centre - extent / 2;
        var high = centre + extent / 2;
        if (low < 0) (low, high) = (0, extent);
        if (high > 1) (low, high) = (1 - extent, 1);
        // Guard against rounding a hair past the frame after the shift.
        return (Math.Clamp(low, 0, 1), Math.Clamp(high, 0, 1));
    }

    /// <summary>Integral image with a zero first row and column: entry (x, y) = sum of cells left of x and above y.</summary>
    private static double[] SummedAreaTable(RelevanceMap map)
    {
        var stride = map.Width + 1;
        var table = new double[stride * (map.Height + 1)];
        for (var y = 0; y < map.Height; y++)
        {
            var rowSum = 0.0;
            for (var x = 0; x < map.Width; x++)
            {
                rowSum += map.Values[y * map.Width + x];
                table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + rowSum;
            }
        }
        return table;
    }

    private static double WindowSum(double[] table, int stride, int x, int y, int w, int h) =>
        table[(y + h) * stride + x + w] - table[y * stride + x + w] - table[(y + h) * stride + x] + table[y * stride + x];

    private static double MaxAbs(float[] values)
    {
        var max = 0.0;
        foreach (var v in values)
            max = Math.Max(max, Math.Abs((double)v));
        return max;
    }

    private static void ValidateMap(RelevanceMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Width <= 0 || map.Height <= 0)
            throw new ArgumentException($"relevance map is empty ({map.Width}×{map.Height} cells)", nameof(map));
        if (map.Values is null || map.Values.Length != (long)map.Width * map.Height)
            throw new ArgumentException($"relevance map of {map.Width}×{map.Height} cells holds {map.Values?.Length ?? 0} values", nameof(map));
        for (var i = 0; i < map.Values.Length; i++)
            if (!float.IsFinite(map.Values[i]))
                throw new ArgumentException($"relevance map holds a non-finite value ({map.Values[i]}, NaN or infinity) at cell ({i % map.Width}, {i / map.Width})", nameof(map));
    }

    private static double[] ValidateScales(IReadOnlyList<double> scales)
    {
        if (scales.Count == 0)
            throw new ArgumentException("at least one window scale is needed", nameof(scales));
        foreach (var r in scales)
            if (!(r > 0) || double.IsInfinity(r))
                throw new ArgumentException($"window scales must be positive and finite, got {r}", nameof(scales));
        return scales.Distinct().Order().ToArray();
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using CollabVlm.Primitives;

namespace CollabVlm.Inference.Served;

/// <summary>
/// Reads the box out of a model's grounding answer, defensively: models wrap JSON in code fences, add
/// prose, answer several boxes, or use another notation. Accepted, first match wins:
/// <c>"bbox_2d": [x1, y1, x2, y2]</c> (Qwen2.5-VL), <c>"bbox": [..]</c> / <c>"box": [..]</c>,
/// Qwen2-VL's <c>(x1,y1),(x2,y2)</c>, or the first bracketed list of four numbers.
/// </summary>
public static partial class GroundingAnswer
{
    private const string Number = @"-?\d+(?:\.\d+)?";

    [GeneratedRegex(@"""(?:bbox_2d|bbox|box)""\s*:\s*\[\s*(" + Number + @")\s*,\s*(" + Number + @")\s*,\s*(" + Number + @")\s*,\s*(" + Number + @")\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex NamedBox();

    [GeneratedRegex(@"\(\s*(" + Number + @")\s*,\s*(" + Number + @")\s*\)\s*,?\s*\(\s*(" + Number + @")\s*,\s*(" + Number + @")\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex PointPair();

    [GeneratedRegex(@"\[\s*(" + Number + @")\s*,\s*(" + Number + @")\s*,\s*(" + Number + @")\s*,\s*(" + Number + @")\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex BareList();

    /// <summary>
    /// The box normalized to [0,1] of the image (<paramref name="width"/> × <paramref name="height"/>
    /// pixels, the image the model was sent), or null with no usable box: none found, zero area
    /// after clamping, or numbers that fit no coordinate convention.
    /// </summary>
    public static NormalizedBox? TryParse(string answer, int width, int height, BoxCoordinates coordinates = BoxCoordinates.Auto)
    {
        if (string.IsNullOrEmpty(answer) || width < 1 || height < 1) return null;
        var match = NamedBox().Match(answer);
        if (!match.Success) match = PointPair().Match(answer);
        if (!match.Success) match = BareList().Match(answer);
        if (!match.Success) return null;

        var v = new double[4];
        for (var i = 0; i < 4; i++) v[i] = double.Parse(match.Groups[i + 1].Value, CultureInfo.InvariantCulture);
        var (sx, sy) = Scale(v, width, height, coordinates) ?? (0, 0);
        if (sx == 0) return null;

        // Corners in either order; clamped, because models overshoot the edge by a pixel or two.
        var x0 = Math.Clamp(Math.Min(v[0], v[2]) / sx, 0, 1);
        var x1 = Math.Clamp(Math.Max(v[0], v[2]) / sx, 0, 1);
        var y0 = Math.Clamp(Math.Min(v[1], v[3]) / sy, 0, 1);
        var y1 = Math.Clamp(Math.Max(v[1], v[3]) / sy, 0, 1);
        var box = new NormalizedBox(x0, y0, x1, y1);
        return box.Validate() is null ? box : null;
    }

    private static (double X, double Y)? Scale(double[] v, int width, int height, BoxCoordinates coordinates)
    {
        var max = v.Max();
        switch (coordinates)
        {
            case BoxCoordinates.Pixels: return (width, height);
            case BoxCoordinates.Permille: return (1000, 1000);
            case BoxCoordinates.Unit: return (1, 1);
        }
        if (max <= 1) return (1, 1);
        // Qwen2.5-VL answers in the pixels of its own resize (sides rounded to multiples of 28), so a
        // box may reach a little past the image we sent; 5 % slack keeps it in the pixel reading.
        if (Math.Max(v[0], v[2]) <= width * 1.05 && Math.Max(v[1], v[3]) <= height * 1.05) return (width, height);
        return max <= 1000 ? (1000, 1000) : null;
    }
}

using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>How well a region of interest covers the true answer region (both normalized to the frame).</summary>
public static class RoiOverlap
{
    /// <summary>A hit: the centre of the true box lies inside the RoI (edges included).</summary>
    public static bool Hit(NormalizedBox roi, NormalizedBox truth)
    {
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentNullException.ThrowIfNull(truth);
        var cx = (truth.X0 + truth.X1) / 2;
        var cy = (truth.Y0 + truth.Y1) / 2;
        return cx >= roi.X0 && cx <= roi.X1 && cy >= roi.Y0 && cy <= roi.Y1;
    }

    /// <summary>Intersection over union (0 when disjoint). The RoI is usually far larger than a sign, so this is small even for a perfect hit; the hit rate is the headline.</summary>
    public static double IntersectionOverUnion(NormalizedBox a, NormalizedBox b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var w = Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0);
        var h = Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0);
        if (w <= 0 || h <= 0) return 0;
        var intersection = w * h;
        return intersection / (a.Area + b.Area - intersection);
    }

    /// <summary>The true box in pixels of a frame, normalized.</summary>
    public static NormalizedBox Normalize(double x0, double y0, double x1, double y1, int frameWidth, int frameHeight) =>
        NormalizedBox.Create(x0 / frameWidth, y0 / frameHeight, x1 / frameWidth, y1 / frameHeight);
}

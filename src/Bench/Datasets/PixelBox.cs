using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Datasets;

/// <summary>A box in pixels of an image, corners (x0, y0) top-left and (x1, y1) bottom-right, as the manifest writes it.</summary>
public sealed record PixelBox(double X0, double Y0, double X1, double Y1)
{
    /// <summary>The box normalized to a frame of <paramref name="width"/> × <paramref name="height"/>, clamped into it (a box the renderer let run off the edge still counts).</summary>
    public NormalizedBox In(int width, int height) =>
        RoiOverlap.Normalize(Math.Min(X0, width - 1), Math.Min(Y0, height - 1), Math.Min(X1, width), Math.Min(Y1, height), width, height);
}

using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Inference.Tests;

/// <summary>Relevance maps built from Gaussian blobs, so RoI tests know where the answer is.</summary>
internal static class SyntheticRelevance
{
    /// <summary>A blob centred on cell (cx, cy), i.e. at continuous position (cx + 0.5, cy + 0.5).</summary>
    public readonly record struct Blob(double CentreX, double CentreY, double Sigma, double Amplitude = 1.0);

    public static RelevanceMap Blobs(int width, int height, params Blob[] blobs)
    {
        var values = new float[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = 0.0;
                foreach (var b in blobs)
                {
                    var dx = x - b.CentreX;
                    var dy = y - b.CentreY;
                    v += b.Amplitude * Math.Exp(-(dx * dx + dy * dy) / (2 * b.Sigma * b.Sigma));
                }
                values[y * width + x] = (float)v;
            }
        return new RelevanceMap(width, height, values);
    }

    public static bool Contains(Primitives.NormalizedBox box, double x, double y) =>
        x >= box.X0 && x <= box.X1 && y >= box.Y0 && y <= box.Y1;
}

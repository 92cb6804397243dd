namespace CollabVlm.Inference.Vlm;

/// <summary>
/// Relevance over the global image from a VLM, as ViCrop ("MLLMs Know Where to Look", ICLR 2025)
/// computes it: the last prompt token's attention over the image's tokens at one decoder layer,
/// mean over heads, for the question prompt divided cell by cell by the same for the generic prompt
/// "Write a general description of the image." (rel-att: what the question adds to where the model
/// always looks). Maps are normalized to sum 1 and laid over the image with its aspect ratio.
/// </summary>
public static class AttentionRelevance
{
    /// <summary>Keeps a cell the generic prompt ignores from dividing by zero.</summary>
    public const double Epsilon = 1e-9;

    /// <summary>rel-att per image token: question / (generic + ε), normalized to sum 1.</summary>
    public static double[] RelativeAttention(ReadOnlySpan<float> question, ReadOnlySpan<float> generic)
    {
        if (question.Length != generic.Length)
            throw new ArgumentException($"question attention covers {question.Length} image tokens, generic {generic.Length}");
        var ratio = new double[question.Length];
        for (var i = 0; i < ratio.Length; i++)
            ratio[i] = Math.Max(question[i], 0) / (Math.Max(generic[i], 0) + Epsilon);
        return Normalize(ratio);
    }

    /// <summary>
    /// The fallback for exports without attention outputs: cosine similarity between each image
    /// token's feature (already in the text embedding space, after the connector) and the mean
    /// embedding of the question's tokens, clipped at 0, normalized to sum 1 (uniform when nothing is similar).
    /// </summary>
    public static double[] FeatureSimilarity(ReadOnlySpan<float> imageFeatures, int tokens, ReadOnlySpan<float> questionMean)
    {
        var width = questionMean.Length;
        if (imageFeatures.Length != tokens * width)
            throw new ArgumentException($"image features hold {imageFeatures.Length} values, expected {tokens} × {width}");
        double qNorm = 0;
        foreach (var q in questionMean) qNorm += (double)q * q;
        var scores = new double[tokens];
        for (var t = 0; t < tokens; t++)
        {
            var row = imageFeatures.Slice(t * width, width);
            double dot = 0, norm = 0;
            for (var i = 0; i < width; i++)
            {
                dot += (double)row[i] * questionMean[i];
                norm += (double)row[i] * row[i];
            }
            scores[t] = norm > 0 && qNorm > 0 ? Math.Max(0, dot / Math.Sqrt(norm * qNorm)) : 0;
        }
        return Normalize(scores);
    }

    /// <summary>
    /// Lays a square grid × grid token map (row-major, covering the image squashed to a square) over
    /// the image: the map's long side has <paramref name="grid"/> cells, the short side as many as keep
    /// cells square in the image, each cell the area-weighted mean of the grid cells it overlaps.
    /// The result sums to 1.
    /// </summary>
    public static RelevanceMap ToMap(double[] tokenMap, int grid, int imageWidth, int imageHeight)
    {
        if (tokenMap.Length != grid * grid)
            throw new ArgumentException($"a {grid}×{grid} grid needs {grid * grid} values, got {tokenMap.Length}");
        if (imageWidth <= 0 || imageHeight <= 0)
            throw new ArgumentException($"image size must be positive, got {imageWidth}×{imageHeight}");
        var (w, h) = imageWidth >= imageHeight
            ? (grid, Math.Max(1, (int)Math.Round((double)grid * imageHeight / imageWidth)))
            : (Math.Max(1, (int)Math.Round((double)grid * imageWidth / imageHeight)), grid);
        var values = new double[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                double sum = 0;
                for (var gy = 0; gy < grid; gy++)
                {
                    var oy = Overlap(y, h, gy, grid);
                    if (oy == 0) continue;
                    for (var gx = 0; gx < grid; gx++)
                        sum += oy * Overlap(x, w, gx, grid) * tokenMap[gy * grid + gx];
                }
                values[y * w + x] = sum;
            }
        return new RelevanceMap(w, h, Normalize(values).Select(v => (float)v).ToArray());
    }

    /// <summary>Length of the overlap of cell i of n and cell j of m on [0, 1], as a fraction of cell j.</summary>
    private static double Overlap(int i, int n, int j, int m)
    {
        double a0 = (double)i / n, a1 = (double)(i + 1) / n, b0 = (double)j / m, b1 = (double)(j + 1) / m;
        return Math.Max(0, Math.Min(a1, b1) - Math.Max(a0, b0)) * m;
    }

    /// <summary>Scales to sum 1; an all-zero (or non-finite) input becomes uniform.</summary>
    public static double[] Normalize(double[] values)
    {
        var sum = values.Where(double.IsFinite).Sum();
        if (!(sum > 0)) return values.Select(_ => 1.0 / values.Length).ToArray();
        return values.Select(v => double.IsFinite(v) ? v / sum : 0).ToArray();
    }
}

using CollabVlm.Imaging;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// DB post-processing for near-horizontal text: threshold the detector's probability map,
/// take 4-connected components, score each by the mean probability inside its bounding box,
/// and grow the box by PaddleOCR's unclip distance d = area · ratio / perimeter.
/// Axis-aligned boxes instead of min-area rectangles: our scenes have text within a few degrees
/// of horizontal, where the two coincide, and this avoids a native OpenCV dependency.
/// </summary>
public static class TextLineFinder
{
    private const int MinSide = 3; // PaddleOCR's min_size: smaller kernels are noise

    /// <returns>Boxes in map pixels, best-scored first.</returns>
    public static IReadOnlyList<ScoredBox> Find(ReadOnlySpan<float> map, int width, int height, float pixelThreshold, float boxThreshold, double unclipRatio)
    {
        if (map.Length != width * height)
            throw new ArgumentException($"map has {map.Length} values, expected {width}×{height}");

        var label = new int[map.Length];
        var stack = new Stack<int>();
        var boxes = new List<ScoredBox>();
        var next = 0;
        for (var start = 0; start < map.Length; start++)
        {
            if (label[start] != 0 || map[start] <= pixelThreshold) continue;
            next++;
            int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
            label[start] = next;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                int x = p % width, y = p / width;
                x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
                if (x > 0) Visit(p - 1, map);
                if (x < width - 1) Visit(p + 1, map);
                if (y > 0) Visit(p - width, map);
                if (y < height - 1) Visit(p + width, map);
            }

            int w = x1 - x0 + 1, h = y1 - y0 + 1;
            if (Math.Min(w, h) < MinSide) continue;
            var score = MeanInside(map, width, x0, y0, w, h);
            if (score < boxThreshold) continue;

            var d = w * h * unclipRatio / (2.0 * (w + h));
            var gx0 = Math.Max(0, (int)Math.Floor(x0 - d));
            var gy0 = Math.Max(0, (int)Math.Floor(y0 - d));
            var gx1 = Math.Min(width, (int)Math.Ceiling(x1 + 1 + d));
            var gy1 = Math.Min(height, (int)Math.Ceiling(y1 + 1 + d));
            boxes.Add(new ScoredBox(new PixelRect(gx0, gy0, gx1 - gx0, gy1 - gy0), score));
        }
        return boxes.OrderByDescending(b => b.Score).ToList();

        void Visit(int q, ReadOnlySpan<float> m)
        {
            if (label[q] != 0 || m[q] <= pixelThreshold) return;
            label[q] = next;
            stack.Push(q);
        }
    }

    private static float MeanInside(ReadOnlySpan<float> map, int width, int x0, int y0, int w, int h)
    {
        double sum = 0;
        for (var y = y0; y < y0 + h; y++)
            foreach (var v in map.Slice(y * width + x0, w)) sum += v;
        return (float)(sum / (w * h));
    }
}

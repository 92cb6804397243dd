using CollabVlm.Imaging;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// The PP-OCRv4 DB text detector: input <c>x [1,3,H,W]</c> (H, W multiples of 32), output
/// <c>[1,1,H,W]</c> text probability. Returns the text lines in the image's pixels and the
/// probability map, pooled, as the relevance map.
/// </summary>
public sealed class TextDetector(InferenceSession session, ReaderOptions options)
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    public TextDetection Detect(SKBitmap image)
    {
        var scale = (double)options.DetectorLongSide / Math.Max(image.Width, image.Height);
        var w = RoundTo32(image.Width * scale);
        var h = RoundTo32(image.Height * scale);
        using var resized = ImageTensor.Resize(image, w, h);
        var input = ImageTensor.FromBitmap(resized, Mean, Std);

        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, h, w]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [inputValue], [session.OutputNames[0]]);
        var map = outputs[0].GetTensorDataAsSpan<float>();
        if (map.Length != w * h)
            throw new InvalidOperationException($"detector returned {map.Length} values for a {w}×{h} input: not a DB detector?");

        var found = TextLineFinder.Find(map, w, h, options.PixelThreshold, options.BoxThreshold, options.UnclipRatio);
        double sx = (double)image.Width / w, sy = (double)image.Height / h;
        var lines = found.Select(b => Scale(b.Box, sx, sy, image.Width, image.Height)).ToList();
        return new TextDetection(lines, Pool(map, w, h, options.RelevancePooling));
    }

    private static int RoundTo32(double v) => Math.Max(32, (int)Math.Round(v / 32) * 32);

    private static PixelRect Scale(PixelRect r, double sx, double sy, int maxW, int maxH)
    {
        var x0 = Math.Clamp((int)Math.Floor(r.X * sx), 0, maxW - 1);
        var y0 = Math.Clamp((int)Math.Floor(r.Y * sy), 0, maxH - 1);
        var x1 = Math.Clamp((int)Math.Ceiling((r.X + r.Width) * sx), x0 + 1, maxW);
        var y1 = Math.Clamp((int)Math.Ceiling((r.Y + r.Height) * sy), y0 + 1, maxH);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>Mean over <paramref name="cell"/>×<paramref name="cell"/> squares (edges partial).</summary>
    internal static RelevanceMap Pool(ReadOnlySpan<float> map, int w, int h, int cell)
    {
        int pw = (w + cell - 1) / cell, ph = (h + cell - 1) / cell;
        var sums = new double[pw * ph];
        var counts = new int[pw * ph];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var i = y / cell * pw + x / cell;
                sums[i] += map[y * w + x];
                counts[i]++;
            }
        var values = new float[pw * ph];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(sums[i] / counts[i]);
        return new RelevanceMap(pw, ph, values);
    }
}

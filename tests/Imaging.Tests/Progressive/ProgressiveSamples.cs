using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Frames;
using SkiaSharp;

namespace CollabVlm.Imaging.Tests.Progressive;

/// <summary>
/// Seeded images of the kinds a progressive crop meets: scene-text crops of random boxes, pure
/// noise, gradients, near-grey and odd shapes down to 1×1.
/// </summary>
internal static class ProgressiveSamples
{
    public sealed record Sample(string Name, SKBitmap Bitmap, int Quality);

    /// <summary>A scene-text crop around the sign, 400–1300 px a side as the edge cuts them.</summary>
    public static SKBitmap TextCrop(int seed, int frameWidth = 1920, int frameHeight = 1080, int textHeight = 14)
    {
        var rng = new Random(seed);
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(frameWidth, frameHeight, "EXIT 24 Gate B", textHeight, seed));
        int w = Math.Min(frameWidth, rng.Next(400, 1300)), h = Math.Min(frameHeight, rng.Next(400, 1000));
        var box = frame.TextBox;
        var x0 = Math.Clamp((box.X + box.Right) / 2.0 - w / 2.0, 0, frameWidth - w);
        var y0 = Math.Clamp((box.Y + box.Bottom) / 2.0 - h / 2.0, 0, frameHeight - h);
        return FrameCropper.Crop(frame.Bitmap, new NormalizedBox(x0 / frameWidth, y0 / frameHeight, (x0 + w) / frameWidth, (y0 + h) / frameHeight));
    }

    /// <summary>
    /// <paramref name="count"/> random samples. Text crops come from two rendered frames with random
    /// boxes and are downscaled to a random long side so that the whole set stays cheap to decode.
    /// </summary>
    public static IEnumerable<Sample> Random(int seed, int count)
    {
        var rng = new Random(seed);
        using var frameA = SceneTextRenderer.Render(new SceneTextRequest(1280, 720, "Platform 9", 12, seed));
        using var frameB = SceneTextRenderer.Render(new SceneTextRequest(800, 1000, "NO PARKING 8-18", 20, seed + 1));
        var fixedShapes = new (int W, int H)[] { (1, 1), (17, 1301), (1301, 17), (1, 64), (64, 1), (9, 7), (33, 15) };
        for (var i = 0; i < count; i++)
        {
            var quality = rng.Next(20, 101);
            var kind = i < fixedShapes.Length ? 0 : rng.Next(1, 6);
            yield return kind switch
            {
                0 => Noise($"odd {fixedShapes[i].W}×{fixedShapes[i].H}", fixedShapes[i].W, fixedShapes[i].H, rng, quality),
                1 or 2 => TextBox(kind == 1 ? frameA : frameB, rng, quality),
                3 => Noise("noise", rng.Next(8, 300), rng.Next(8, 300), rng, quality),
                4 => Gradient(rng.Next(1, 500), rng.Next(1, 500), rng, quality),
                _ => NearGrey(rng.Next(2, 400), rng.Next(2, 400), rng, quality),
            };
        }
    }

    private static Sample TextBox(SyntheticFrame frame, Random rng, int quality)
    {
        // Random box between 2 % and 100 % of each side.
        var w = 0.02 + rng.NextDouble() * 0.98;
        var h = 0.02 + rng.NextDouble() * 0.98;
        var x0 = rng.NextDouble() * (1 - w);
        var y0 = rng.NextDouble() * (1 - h);
        using var crop = FrameCropper.Crop(frame.Bitmap, new NormalizedBox(x0, y0, x0 + w, y0 + h));
        var longSide = rng.Next(16, 480);
        return new Sample($"text crop {crop.Width}×{crop.Height} → ≤{longSide}", GlobalImageMaker.Resize(crop, longSide), quality);
    }

    private static Sample Noise(string name, int w, int h, Random rng, int quality)
    {
        var pixelSeed = rng.Next();
        var pixels = new Random(pixelSeed);
        return new Sample($"{name} {w}×{h}", TestFrames.FromPixels(w, h, (_, _) =>
            ((byte)pixels.Next(256), (byte)pixels.Next(256), (byte)pixels.Next(256))), quality);
    }

    private static Sample Gradient(int w, int h, Random rng, int quality)
    {
        var (r0, g0, b0) = (rng.Next(256), rng.Next(256), rng.Next(256));
        return new Sample($"gradient {w}×{h}", TestFrames.FromPixels(w, h, (x, y) => (
            (byte)((r0 + x * 255 / w) % 256),
            (byte)((g0 + y * 255 / h) % 256),
            (byte)((b0 + (x + y) * 127 / (w + h)) % 256))), quality);
    }

    private static Sample NearGrey(int w, int h, Random rng, int quality)
    {
        var pixels = new Random(rng.Next());
        return new Sample($"near-grey {w}×{h}", TestFrames.FromPixels(w, h, (x, y) =>
        {
            var grey = (x * 7 + y * 3) % 256;
            return ((byte)grey, (byte)Math.Clamp(grey + pixels.Next(-2, 3), 0, 255), (byte)grey);
        }), quality);
    }
}

using CollabVlm.Imaging;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Bench.Demo;

/// <summary>Frames with one sign each, text heights spread evenly over a range, deterministic per seed.</summary>
public static class DemoFrameSet
{
    public static IEnumerable<DemoFrame> Generate(int count, int width, int height, int minTextHeight, int maxTextHeight, int seed)
    {
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var textHeight = count == 1 ? minTextHeight : minTextHeight + (int)Math.Round((maxTextHeight - minTextHeight) * (double)i / (count - 1));
            var text = SceneTextVocabulary.Pick(rng);
            using var frame = SceneTextRenderer.Render(new SceneTextRequest(width, height, text, textHeight, rng.Next()));
            // The camera's frame as it would store it: a high-quality JPEG.
            var jpeg = JpegEncoder.Encode(frame.Bitmap, 92).Bytes;
            yield return new DemoFrame(i, jpeg, width, height, text, textHeight);
        }
    }
}

using CollabVlm.Imaging;
using CollabVlm.Inference.Reader;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Inference.Tests.Reader;

/// <summary>
/// The reader on the real PP-OCRv4 model and rendered frames, reproducing the measurement the design rests on (docs/architecture.md, "Models"):
/// small text is unreadable (and the reader knows it) from the 768-px global image, readable and
/// sure from a crop of the original chosen by the relevance map.
/// </summary>
public sealed class PpOcrReaderRealModelTests(RealReaderFixture fixture) : IClassFixture<RealReaderFixture>
{
    private const string Question = "What does the sign say?";
    private const double Eta = 0.35; // bits of mean H∞: the gate's threshold used here
    private const int GlobalLongSide = 768;

    private PpOcrReader Reader => fixture.Reader;

    private static double Uncertainty(ModelOutput output) =>
        UncertaintyScore.Score(output.Tokens, UncertaintySpec.Default, output.VocabularySize);

    [Fact]
    public async Task Large_text_is_read_right_and_surely_from_the_global_image()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
        var global = GlobalImageMaker.Make(frame.Bitmap, GlobalLongSide, 80);

        var output = await Reader.AnswerAsync(new ModelInput(Question, global.Bytes), CancellationToken.None);

        // Observed: "EXIT24" (the model drops the space), mean H∞ ≈ 0.008 bits.
        Assert.True(AnswerScoring.ExactMatch(output.Answer, ["EXIT 24"]), $"read \"{output.Answer}\"");
        Assert.True(Uncertainty(output) < Eta, $"mean H∞ {Uncertainty(output):F4} bits");
        Assert.Equal(6625, output.VocabularySize);
    }

    [Fact]
    public async Task Each_kept_ctc_step_is_one_token()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
        var global = GlobalImageMaker.Make(frame.Bitmap, GlobalLongSide, 80);

        var output = await Reader.AnswerAsync(new ModelInput(Question, global.Bytes), CancellationToken.None);

        // Every character the decoder appends comes from one kept step; joining lines only adds
        // spaces and trimming only removes them. So tokens ≥ non-space characters always.
        Assert.True(output.Tokens.Count >= output.Answer.Replace(" ", "").Length);
        // Here one line read as "EXIT24": exactly one token per character (6).
        Assert.Equal(output.Answer.Length, output.Tokens.Count);
    }

    [Fact]
    public async Task Relevance_peaks_on_the_sign()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
        var global = GlobalImageMaker.Make(frame.Bitmap, GlobalLongSide, 80);

        var output = await Reader.AnswerAsync(new ModelInput(Question, global.Bytes), CancellationToken.None);

        // The map covers the whole frame (cell x spans x/W of it). Observed map 240×176 (detector
        // input 960×704, pooled by 4); the sign (756, 964)–(1076, 1057) in the 2048×1536 frame is
        // cells x 756·240/2048 = 88.6 → 88 … 1076·240/2048 = 126.1 → 127 (exclusive),
        // y 964·176/1536 = 110.5 → 110 … 1057·176/1536 = 121.1 → 122; observed maximum at (94, 115).
        var (mx, my) = ArgMax(output.Relevance);
        AssertInsideSign(frame, output.Relevance, mx, my);
    }

    [Fact]
    public async Task Small_text_is_wrong_and_unsure_from_the_global_image_but_right_and_sure_after_refinement()
    {
        const int width = 4000;
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(width, 3000, "NO PARKING", 14, 3));
        var global = GlobalImageMaker.Make(frame.Bitmap, GlobalLongSide, 80);

        var globalOutput = await Reader.AnswerAsync(new ModelInput(Question, global.Bytes), CancellationToken.None);

        // 14 px text in a 4000 px frame is ~2.7 px in the 768 px global image. Observed: nothing
        // read, so the score is the empty answer's log2 6625 ≈ 12.69 bits.
        Assert.False(AnswerScoring.ExactMatch(globalOutput.Answer, ["NO PARKING"]), $"read \"{globalOutput.Answer}\"");
        Assert.True(Uncertainty(globalOutput) > Eta, $"mean H∞ {Uncertainty(globalOutput):F4} bits");

        // Even unreadable, the detector map still points at the sign.
        var (mx, my) = ArgMax(globalOutput.Relevance);
        AssertInsideSign(frame, globalOutput.Relevance, mx, my);

        // Refined pass: the reader's input size (640 px) over the frame's long side as the base crop.
        var box = RoiSelector.Select(globalOutput.Relevance, 640.0 / width);
        // A 640 px crop around a 149×29 px sign should hold all of it. Observed: r = 1, pixels
        // x 2761…3401, y 1778…2432 around the sign's (3017, 2083)–(3166, 2112).
        var crop = FrameCropper.ToPixels(box, width, 3000);
        Assert.True(crop.X <= frame.TextBox.X && crop.Y <= frame.TextBox.Y && crop.Right >= frame.TextBox.Right && crop.Bottom >= frame.TextBox.Bottom,
            $"RoI {crop} does not hold the whole sign {frame.TextBox}");
        var local = FrameCropper.CropToJpeg(frame.Bitmap, box, 1280, 90);

        var refined = await Reader.AnswerAsync(new ModelInput(Question, global.Bytes, local.Bytes, box), CancellationToken.None);

        // Observed: "NO PARKING", mean H∞ ≈ 0.06 bits; 10 tokens, the space being a step the model emitted.
        Assert.True(AnswerScoring.ExactMatch(refined.Answer, ["NO PARKING"]), $"read \"{refined.Answer}\"");
        Assert.True(Uncertainty(refined) < Eta, $"mean H∞ {Uncertainty(refined):F4} bits");
        Assert.True(refined.Tokens.Count >= refined.Answer.Replace(" ", "").Length);
        // The relevance map is always the global image's, refined or not.
        Assert.Equal(globalOutput.Relevance.Values, refined.Relevance.Values);
    }

    [Fact]
    public async Task Garbage_global_bytes_raise_image_decode_exception()
    {
        byte[] garbage = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 2, 3]; // "GIF89a…": not JPEG/PNG

        await Assert.ThrowsAsync<ImageDecodeException>(() =>
            Reader.AnswerAsync(new ModelInput(Question, garbage), CancellationToken.None));
    }

    [Fact]
    public async Task Truncated_jpeg_raises_image_decode_exception()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
        var bytes = GlobalImageMaker.Make(frame.Bitmap, GlobalLongSide, 80).Bytes;
        var truncated = bytes[..(bytes.Length / 2)];

        var e = await Assert.ThrowsAsync<ImageDecodeException>(() =>
            Reader.AnswerAsync(new ModelInput(Question, truncated), CancellationToken.None));

        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
    }

    [Fact]
    public async Task Garbage_local_bytes_raise_image_decode_exception_even_with_a_good_global_image()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 48, 1));
        var global = GlobalImageMaker.Make(frame.Bitmap, GlobalLongSide, 80).Bytes;
        byte[] garbage = [0xFF, 0xD8, 0xFF, 0x00, 0x00]; // JPEG magic, then nothing decodable

        await Assert.ThrowsAsync<ImageDecodeException>(() =>
            Reader.AnswerAsync(new ModelInput(Question, global, garbage), CancellationToken.None));
    }

    private static (int X, int Y) ArgMax(RelevanceMap map)
    {
        var best = 0;
        for (var i = 1; i < map.Values.Length; i++)
            if (map.Values[i] > map.Values[best]) best = i;
        return (best % map.Width, best / map.Width);
    }

    /// <summary>The cell lies inside the sign's box scaled to map cells, or within one cell of it.</summary>
    private static void AssertInsideSign(SyntheticFrame frame, RelevanceMap map, int x, int y)
    {
        var width = frame.Bitmap.Width;
        var height = frame.Bitmap.Height;
        var x0 = (int)Math.Floor((double)frame.TextBox.X * map.Width / width) - 1;
        var x1 = (int)Math.Ceiling((double)frame.TextBox.Right * map.Width / width); // exclusive end + 1 cell
        var y0 = (int)Math.Floor((double)frame.TextBox.Y * map.Height / height) - 1;
        var y1 = (int)Math.Ceiling((double)frame.TextBox.Bottom * map.Height / height);
        Assert.True(x >= x0 && x <= x1 && y >= y0 && y <= y1,
            $"relevance peaks at cell ({x}, {y}); the sign spans cells x {x0 + 1}…{x1 - 1}, y {y0 + 1}…{y1 - 1} of {map.Width}×{map.Height}");
    }
}

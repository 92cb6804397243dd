using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Messages;
using SkiaSharp;

namespace CollabVlm.Actors.Tests.Support;

/// <summary>Small, hand-made inputs for actor tests that do not need the real model.</summary>
public static class TestData
{
    public const int Vocabulary = 6625;

    public static byte[] Jpeg(int width = 64, int height = 48, SKColor? colour = null)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(colour ?? SKColors.CornflowerBlue);
        return JpegEncoder.Encode(bitmap, 90).Bytes;
    }

    public static SubmitQuery Submit(string question = "What does the sign say?", byte[]? jpeg = null, QueryOptions? options = null,
        int originalWidth = 2048, int originalHeight = 1536, QueryId? id = null) =>
        new(id ?? QueryId.New(), new EdgeId("test-edge"), question,
            new GlobalImage(jpeg ?? Jpeg(), 64, 48, 90, originalWidth, originalHeight), options ?? QueryOptions.Default);

    /// <summary>An answer whose every token has top probability <paramref name="maxProb"/> (H∞ = −log2 of it).</summary>
    public static ModelOutput Output(string answer, double maxProb) =>
        new(answer, answer.Select(_ => new TokenStat(maxProb, (1 - maxProb) / 2, 1.0)).ToList(), Blob(32, 24, 20, 6), Vocabulary, TimeSpan.FromMilliseconds(5));

    /// <summary>A relevance map with one bright cell block at (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public static RelevanceMap Blob(int width, int height, int cx, int cy)
    {
        var values = new float[width * height];
        for (var y = Math.Max(0, cy - 1); y <= Math.Min(height - 1, cy + 1); y++)
            for (var x = Math.Max(0, cx - 2); x <= Math.Min(width - 1, cx + 2); x++)
                values[y * width + x] = 1f;
        return new RelevanceMap(width, height, values);
    }
}

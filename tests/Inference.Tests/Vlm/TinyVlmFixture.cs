using CollabVlm.Inference.Onnx;
using CollabVlm.Inference.Vlm;
using SkiaSharp;

namespace CollabVlm.Inference.Tests.Vlm;

/// <summary>Generates the tiny VLM once per test class (with attention outputs) and opens it on the CPU.</summary>
public sealed class TinyVlmFixture : IDisposable
{
    public TinyVlmFixture()
    {
        Directory = TinyVlm.Create(NewTempFolder());
        Model = new OnnxVlm(Options(Directory));
    }

    public string Directory { get; }
    public OnnxVlm Model { get; }

    public static VlmOptions Options(string directory, int maxNewTokens = 6) =>
        new() { ModelDirectory = directory, ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = 1, MaxNewTokens = maxNewTokens };

    public static string NewTempFolder() =>
        System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "collabvlm-tiny-vlm-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>A picture with a bright square at (<paramref name="squareX"/>, <paramref name="squareY"/>) as a fraction of the frame.</summary>
    public static SKBitmap Picture(int width, int height, double squareX = 0.7, double squareY = 0.3)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(40 + 100 * x / width), (byte)(60 + 80 * y / height), 90));
        var side = Math.Max(2, Math.Min(width, height) / 4);
        int sx = (int)(squareX * width), sy = (int)(squareY * height);
        for (var y = sy; y < Math.Min(height, sy + side); y++)
            for (var x = sx; x < Math.Min(width, sx + side); x++)
                bitmap.SetPixel(x, y, SKColors.White);
        return bitmap;
    }

    public static byte[] Png(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose()
    {
        Model.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}

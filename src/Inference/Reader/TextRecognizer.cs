using CollabVlm.Imaging;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace CollabVlm.Inference.Reader;

/// <summary>
/// The PP-OCRv4 CRNN/SVTR recognizer: input <c>x [1,3,48,W]</c>, output <c>[1,T,6625]</c> softmax
/// over <see cref="CharacterTable"/>; decoded greedily with <see cref="CtcGreedyDecoder"/>.
/// </summary>
public sealed class TextRecognizer(InferenceSession session, CharacterTable table)
{
    public const int InputHeight = 48;
    private const int MaxInputWidth = 2048;
    private static readonly float[] Half = [0.5f, 0.5f, 0.5f];

    public TextReading Read(SKBitmap image, PixelRect line)
    {
        using var crop = new SKBitmap();
        if (!image.ExtractSubset(crop, new SKRectI(line.X, line.Y, line.X + line.Width, line.Y + line.Height)))
            throw new ArgumentException($"line {line} lies outside the {image.Width}×{image.Height} image");
        var width = Math.Clamp((int)Math.Ceiling(InputHeight * (double)line.Width / line.Height), 16, MaxInputWidth);
        using var resized = ImageTensor.Resize(crop, width, InputHeight);
        var input = ImageTensor.FromBitmap(resized, Half, Half);

        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, InputHeight, width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [inputValue], [session.OutputNames[0]]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 3)
            throw new InvalidOperationException($"recognizer output has rank {shape.Length}, expected [1,T,classes]");
        return CtcGreedyDecoder.Decode(outputs[0].GetTensorDataAsSpan<float>(), (int)shape[1], (int)shape[2], table);
    }
}

using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// Hand-placed test scenes: a flat green-grey field and plain coloured plates with white text where a test puts them,
/// for specs that need to know exactly where each sign is (the generated scenes place theirs by seed).
/// </summary>
public static class FlatSigns
{
    /// <summary>The field's colour.</summary>
    public static SKColor Field { get; } = new(120, 140, 110);

    /// <summary>A new frame of the flat field; the caller owns it.</summary>
    public static SKBitmap Frame(int width, int height)
    {
        var frame = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(frame);
        canvas.Clear(Field);
        return frame;
    }

    /// <summary>A plate with white text, its baseline placed for a cap height of about 0.7 × the font size.</summary>
    public static void Draw(SKCanvas canvas, PixelRect plate, SKColor colour, string text, float fontSize)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        using var fill = new SKPaint { Color = colour };
        canvas.DrawRect(plate.X, plate.Y, plate.Width, plate.Height, fill);
        using var font = new SKFont(SKTypeface.Default, fontSize);
        using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText(text, plate.X + fontSize * 0.4f, plate.Y + (plate.Height + fontSize * 0.7f) / 2, SKTextAlign.Left, font, ink);
    }
}

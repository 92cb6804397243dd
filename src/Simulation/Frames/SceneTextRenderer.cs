using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// Renders a synthetic scene-text frame: a sign with known text at a known cap height on a
/// cluttered, noisy background. The ground truth is exact, so experiments can ask "what does the
/// sign say?" at any text size and measure when the global image stops being enough.
/// Output is a pure function of the request (same seed, same pixels).
/// </summary>
public static class SceneTextRenderer
{
    /// <summary>Set to a folder holding the DejaVu files to use fonts from elsewhere than the system.</summary>
    public const string FontDirectoryVariable = "COLLABVLM_FONT_DIR";

    private const string DefaultFontDirectory = "/usr/share/fonts/truetype/dejavu";

    // Fixed list and order: the seed picks by index, so changing it changes every data set.
    private static readonly string[] FontFiles =
    [
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSerif.ttf",
        "DejaVuSansMono.ttf",
        "DejaVuSansCondensed-Bold.ttf",
    ];

    private const double MaxRotationDegrees = 3;
    private const double PlatePaddingPerTextHeight = 0.4;
    private const double MarginPerFrameSide = 0.02;
    private const int NoiseAmplitude = 4;

    private static readonly ConcurrentDictionary<string, SKTypeface> Typefaces = new(StringComparer.Ordinal);

    public static SyntheticFrame Render(SceneTextRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);

        var rng = new Random(request.Seed);
        var typeface = LoadTypeface(FontFiles[rng.Next(FontFiles.Length)]);

        // The optional parts draw from their own stream so that the main stream, and with it every
        // frame rendered without them, stays as it was.
        var extra = new Random(unchecked(request.Seed * 7919 + 104729));

        var workInfo = new SKImageInfo(request.Width, request.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var work = new SKBitmap(workInfo);
        PlacedSign sign;
        var distractorBoxes = new List<PixelRect>();
        using (var canvas = new SKCanvas(work))
        {
            var (from, to) = DrawBackground(canvas, request, rng);
            if (request.Background == SceneBackground.Photo)
                DrawPhoto(canvas, request, extra);
            else if (request.Background == SceneBackground.Texture)
                DrawTexture(canvas, request, extra, from, to);
            DrawClutter(canvas, request, rng, from, to);
            if (request.Background == SceneBackground.Texture)
                DrawSharpClutter(canvas, request, extra);
            sign = DrawSign(canvas, request.Width, request.Height, request.Text, request.TextHeightPx, rng, typeface, SignColors, avoid: [], attempts: 1)
                ?? throw new InvalidOperationException("the answer's sign was not placed");
            var taken = new List<PixelRect> { sign.Box };
            foreach (var distractor in request.Distractors)
            {
                var face = LoadTypeface(FontFiles[extra.Next(FontFiles.Length)]);
                var placed = DrawSign(canvas, request.Width, request.Height, distractor.Text, distractor.TextHeightPx, extra, face,
                    r => OtherSignColors(r, sign.ColourName), taken, attempts: 60);
                if (placed is null) continue; // no free room: the frame simply has fewer distractors
                taken.Add(placed.Box);
                distractorBoxes.Add(placed.Box);
            }
        }

        var bitmap = AddNoiseAsUnpremul(work, rng);
        return new SyntheticFrame(bitmap, request.Text, sign.Box, request.TextHeightPx)
        {
            PlateColour = sign.ColourName,
            DistractorBoxes = distractorBoxes,
        };
    }

    private sealed record PlacedSign(PixelRect Box, string ColourName);

    private static void Validate(SceneTextRequest request)
    {
        if (request.Width < 16 || request.Height < 16)
            throw new ArgumentException($"frame {request.Width}×{request.Height} is too small: both sides must be at least 16 pixels", nameof(request));
        if ((long)request.Width * request.Height > ImageLimits.Default.MaxPixels)
            throw new ArgumentException($"frame {request.Width}×{request.Height} is over the pixel limit of {ImageLimits.Default.MaxPixels}", nameof(request));
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Any(char.IsControl))
            throw new ArgumentException("the text must be non-blank and free of control characters", nameof(request));
        if (request.TextHeightPx < 2)
            throw new ArgumentException($"text height {request.TextHeightPx} px is below the 2 px minimum", nameof(request));
        if (request.Background == SceneBackground.Photo && request.Photo is null)
            throw new ArgumentException("a photo background needs the photo (SceneTextRequest.Photo)", nameof(request));
        foreach (var d in request.Distractors)
            if (string.IsNullOrWhiteSpace(d.Text) || d.Text.Any(char.IsControl) || d.TextHeightPx < 2)
                throw new ArgumentException($"distractor \"{d.Text}\" at {d.TextHeightPx} px: needs non-blank text without control characters and at least 2 px", nameof(request));
    }

    private static SKTypeface LoadTypeface(string fileName)
    {
        var folder = Environment.GetEnvironmentVariable(FontDirectoryVariable);
        folder = string.IsNullOrWhiteSpace(folder) ? DefaultFontDirectory : folder;

        // Every face must be present, not only the one this seed picked: a data set rendered on a
        // machine with fewer fonts would otherwise differ silently for some seeds.
        var missing = FontFiles.Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"font files {string.Join(", ", missing)} not found in {folder}: install fonts-dejavu-core " +
                $"(the condensed face comes with fonts-dejavu-extra) or point {FontDirectoryVariable} at a folder holding them",
                Path.Combine(folder, missing[0]));

        var path = Path.Combine(folder, fileName);
        return Typefaces.GetOrAdd(path, p => SKTypeface.FromFile(p)
            ?? throw new InvalidDataException($"SkiaSharp could not load the font file {p}"));
    }

    private static (SKColor From, SKColor To) DrawBackground(SKCanvas canvas, SceneTextRequest request, Random rng)
    {
        // Mid-range colours: a photo's walls, roads and foliage, never as bright or dark as a sign.
        var from = RandomColor(rng, 60, 190);
        var to = RandomColor(rng, 60, 190);
        var angle = rng.NextDouble() * Math.PI * 2;
        var cx = request.Width / 2f;
        var cy = request.Height / 2f;
        var reach = (float)(Math.Max(request.Width, request.Height) / 2.0);
        var dx = (float)Math.Cos(angle) * reach;
        var dy = (float)Math.Sin(angle) * reach;

        using var shader = SKShader.CreateLinearGradient(
            new SKPoint(cx - dx, cy - dy), new SKPoint(cx + dx, cy + dy), [from, to], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        canvas.DrawRect(0, 0, request.Width, request.Height, paint);
        return (from, to);
    }

    /// <summary>
    /// Soft, blurred blobs and bars: enough structure that the background is not trivially flat,
    /// low enough contrast and edge sharpness that the sign stays the most text-like thing.
    /// </summary>
    private static void DrawClutter(SKCanvas canvas, SceneTextRequest request, Random rng, SKColor from, SKColor to)
    {
        var shortSide = Math.Min(request.Width, request.Height);
        var count = rng.Next(3, 8);
        for (var i = 0; i < count; i++)
        {
            var baseColor = rng.Next(2) == 0 ? from : to;
            var color = new SKColor(
                Jitter(baseColor.Red, rng, 40), Jitter(baseColor.Green, rng, 40), Jitter(baseColor.Blue, rng, 40),
                (byte)rng.Next(60, 130));
            var sigma = (float)(shortSide * (0.01 + rng.NextDouble() * 0.03));
            using var blur = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, sigma);
            using var paint = new SKPaint { Color = color, IsAntialias = true, MaskFilter = blur };

            var x = (float)(rng.NextDouble() * request.Width);
            var y = (float)(rng.NextDouble() * request.Height);
            var w = (float)(shortSide * (0.1 + rng.NextDouble() * 0.5));
            var h = (float)(shortSide * (0.1 + rng.NextDouble() * 0.5));
            switch (rng.Next(3))
            {
                case 0:
                    canvas.DrawOval(x, y, w / 2, h / 2, paint);
                    break;
                case 1:
                    canvas.DrawRect(x - w / 2, y - h / 2, w, h, paint);
                    break;
                default:
                    canvas.DrawRoundRect(x - w / 2, y - h / 2, w, h, w / 6, h / 6, paint);
                    break;
            }
        }
    }

    /// <summary>
    /// Draws a sign at a random place inside the margins that overlaps none of <paramref name="avoid"/>
    /// (grown by one text height); null when <paramref name="attempts"/> places all overlapped.
    /// </summary>
    private static PlacedSign? DrawSign(SKCanvas canvas, int frameWidth, int frameHeight, string text, int capHeight, Random rng, SKTypeface typeface,
        Func<Random, (SKColor Plate, SKColor Text, string Name)> colours, IReadOnlyList<PixelRect> avoid, int attempts)
    {
        using var font = SignFont(typeface, capHeight);
        var plate = PlateRect(font, text, capHeight);

        var degrees = rng.Next(2) == 0 ? 0 : (rng.NextDouble() * 2 - 1) * MaxRotationDegrees;
        var bounds = RotatedBounds(plate, degrees);

        var marginX = (float)Math.Ceiling(MarginPerFrameSide * frameWidth);
        var marginY = (float)Math.Ceiling(MarginPerFrameSide * frameHeight);
        var roomX = frameWidth - 2 * marginX - bounds.Width;
        var roomY = frameHeight - 2 * marginY - bounds.Height;
        if (roomX < 0 || roomY < 0)
            throw new ArgumentException(
                $"the sign for \"{text}\" at {capHeight} px cap height needs {Math.Ceiling(bounds.Width)}×{Math.Ceiling(bounds.Height)} px " +
                $"plus a 2 % margin, more than the {frameWidth}×{frameHeight} frame", "request");

        // Place the rotated sign's bounds so they sit inside the margins, then draw around its centre.
        float left = 0, top = 0;
        var free = false;
        for (var attempt = 0; attempt < attempts && !free; attempt++)
        {
            left = marginX + (float)(rng.NextDouble() * roomX);
            top = marginY + (float)(rng.NextDouble() * roomY);
            var candidate = new PixelRect((int)left - capHeight, (int)top - capHeight, (int)bounds.Width + 2 * capHeight, (int)bounds.Height + 2 * capHeight);
            free = avoid.All(a => !Overlaps(a, candidate));
        }
        if (!free)
            return null;
        var placedCentre = new SKPoint(left + bounds.Width / 2, top + bounds.Height / 2);

        var (plateColor, textColor, colourName) = colours(rng);
        canvas.Save();
        canvas.Translate(placedCentre.X, placedCentre.Y);
        canvas.RotateDegrees((float)degrees);
        canvas.Translate(-plate.MidX, -plate.MidY);
        PaintPlate(canvas, plate, text, font, capHeight, plateColor, textColor);
        canvas.Restore();

        var x0 = Math.Max(0, (int)Math.Floor(left));
        var y0 = Math.Max(0, (int)Math.Floor(top));
        var x1 = Math.Min(frameWidth, (int)Math.Ceiling(left + bounds.Width));
        var y1 = Math.Min(frameHeight, (int)Math.Ceiling(top + bounds.Height));
        return new PlacedSign(new PixelRect(x0, y0, x1 - x0, y1 - y0), colourName);
    }

    /// <summary>
    /// One sign alone on a transparent bitmap, upright and flat, for callers that warp and light it
    /// themselves (signs pasted into photographs): a random face, plate colours named differently from
    /// <paramref name="otherThan"/> when given. Draws only from <paramref name="rng"/>.
    /// </summary>
    public static SignPlate RenderPlate(string text, int capHeight, Random rng, string? otherThan = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (string.IsNullOrWhiteSpace(text) || text.Any(char.IsControl))
            throw new ArgumentException("the text must be non-blank and free of control characters", nameof(text));
        if (capHeight < 2)
            throw new ArgumentException($"text height {capHeight} px is below the 2 px minimum", nameof(capHeight));
        var typeface = LoadTypeface(FontFiles[rng.Next(FontFiles.Length)]);
        using var font = SignFont(typeface, capHeight);
        var plate = PlateRect(font, text, capHeight);
        var (plateColor, textColor, name) = otherThan is null ? SignColors(rng) : OtherSignColors(rng, otherThan);
        var bitmap = new SKBitmap(new SKImageInfo((int)Math.Ceiling(plate.Width) + 2, (int)Math.Ceiling(plate.Height) + 2, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.Translate(1 - plate.Left, 1 - plate.Top);
            PaintPlate(canvas, plate, text, font, capHeight, plateColor, textColor);
        }
        return new SignPlate(bitmap, name);
    }

    private static SKFont SignFont(SKTypeface typeface, int capHeight)
    {
        var font = new SKFont(typeface)
        {
            // Unhinted, subpixel-positioned outlines scale linearly, so the cap height we solve
            // for below is the cap height we get.
            Hinting = SKFontHinting.None,
            Subpixel = true,
            LinearMetrics = true,
            Edging = SKFontEdging.Antialias,
        };
        font.Size = FontSizeForCapHeight(font, capHeight);
        return font;
    }

    /// <summary>
    /// The plate in text coordinates (origin on the baseline at the text start): from the cap line
    /// (or higher ascenders) to the baseline (or lower descenders), padded all round.
    /// </summary>
    private static SKRect PlateRect(SKFont font, string text, int capHeight)
    {
        font.MeasureText(text, out var ink);
        var padding = (float)(PlatePaddingPerTextHeight * capHeight);
        return new SKRect(
            Math.Min(ink.Left, 0) - padding,
            Math.Min(ink.Top, -capHeight) - padding,
            Math.Max(ink.Right, font.MeasureText(text)) + padding,
            Math.Max(ink.Bottom, 0) + padding);
    }

    private static void PaintPlate(SKCanvas canvas, SKRect plate, string text, SKFont font, int capHeight, SKColor plateColor, SKColor textColor)
    {
        var corner = 0.25f * capHeight;
        using (var platePaint = new SKPaint { Color = plateColor, IsAntialias = true })
            canvas.DrawRoundRect(plate, corner, corner, platePaint);
        using (var textPaint = new SKPaint { Color = textColor, IsAntialias = true })
            canvas.DrawText(text, 0, 0, SKTextAlign.Left, font, textPaint);
    }

    private static bool Overlaps(PixelRect a, PixelRect b) => a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    /// <summary>
    /// Font size whose capital "H" is <paramref name="capHeightPx"/> tall. Measured from the glyph
    /// outline rather than the OS/2 cap-height field, which older font files leave unset.
    /// </summary>
    private static float FontSizeForCapHeight(SKFont font, int capHeightPx)
    {
        const float probeSize = 100f;
        font.Size = probeSize;
        font.MeasureText("H", out var bounds);
        var capPerSize = -bounds.Top / probeSize;
        if (capPerSize <= 0)
        {
            var metrics = font.Metrics;
            capPerSize = metrics.CapHeight > 0 ? metrics.CapHeight / probeSize : 0.7f;
        }

        return capHeightPx / capPerSize;
    }

    private static SKRect RotatedBounds(SKRect rect, double degrees)
    {
        var radians = degrees * Math.PI / 180;
        var cos = Math.Abs(Math.Cos(radians));
        var sin = Math.Abs(Math.Sin(radians));
        var width = (float)(rect.Width * cos + rect.Height * sin);
        var height = (float)(rect.Width * sin + rect.Height * cos);
        return SKRect.Create(width, height);
    }

    // Dark plates with the names a question can use; light plates are all called white.
    private static readonly (SKColor Colour, string Name)[] DarkPlates =
    [
        (new(0, 90, 50), "green"), (new(20, 45, 115), "blue"), (new(125, 20, 25), "red"),
        (new(30, 30, 32), "black"), (new(70, 40, 20), "brown"), (new(10, 70, 90), "teal"),
    ];

    private const string LightPlateName = "white";

    /// <summary>Dark text on a light plate or light text on a dark plate: signs are made to be read.</summary>
    private static (SKColor Plate, SKColor Text, string Name) SignColors(Random rng)
    {
        if (rng.Next(2) == 0)
        {
            var plate = RandomColor(rng, 215, 250);
            var text = RandomColor(rng, 5, 50);
            return (plate, text, LightPlateName);
        }

        var (darkPlate, name) = DarkPlates[rng.Next(DarkPlates.Length)];
        var lightText = RandomColor(rng, 220, 255);
        return (darkPlate, lightText, name);
    }

    /// <summary>Sign colours whose name differs from <paramref name="taken"/>, so a question naming the colour names one sign.</summary>
    private static (SKColor Plate, SKColor Text, string Name) OtherSignColors(Random rng, string taken)
    {
        var choices = DarkPlates.Where(p => p.Name != taken).ToArray();
        if (taken != LightPlateName && rng.Next(choices.Length + 1) == 0)
            return (RandomColor(rng, 215, 250), RandomColor(rng, 5, 50), LightPlateName);
        var (plate, name) = choices[rng.Next(choices.Length)];
        return (plate, RandomColor(rng, 220, 255), name);
    }

    /// <summary>The photo scaled to cover the frame (aspect kept), at a random offset where it overhangs.</summary>
    private static void DrawPhoto(SKCanvas canvas, SceneTextRequest request, Random rng)
    {
        var photo = request.Photo!;
        var scale = Math.Max((double)request.Width / photo.Width, (double)request.Height / photo.Height);
        var w = (float)(photo.Width * scale);
        var h = (float)(photo.Height * scale);
        var x = (float)(-(w - request.Width) * rng.NextDouble());
        var y = (float)(-(h - request.Height) * rng.NextDouble());
        using var image = SKImage.FromBitmap(photo);
        canvas.DrawImage(image, new SKRect(x, y, x + w, y + h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    /// <summary>
    /// A low-contrast repeating pattern in the gradient's colours — bricks, tiles or stripes — such as
    /// walls, pavements and façades give: regular edges a detector must not mistake for text.
    /// </summary>
    private static void DrawTexture(SKCanvas canvas, SceneTextRequest request, Random rng, SKColor from, SKColor to)
    {
        var shortSide = Math.Min(request.Width, request.Height);
        var cell = (float)(shortSide * (0.02 + rng.NextDouble() * 0.05));
        var colour = (rng.Next(2) == 0 ? from : to).WithAlpha((byte)rng.Next(40, 90));
        var line = new SKColor(Jitter(colour.Red, rng, 60), Jitter(colour.Green, rng, 60), Jitter(colour.Blue, rng, 60), colour.Alpha);
        using var paint = new SKPaint { Color = line, IsAntialias = true, StrokeWidth = Math.Max(1f, cell / 12), Style = SKPaintStyle.Stroke };
        switch (rng.Next(3))
        {
            case 0: // bricks: rows of cells, every other row offset by half a brick
                for (var row = 0; row * cell < request.Height; row++)
                {
                    var y = row * cell;
                    canvas.DrawLine(0, y, request.Width, y, paint);
                    var offset = row % 2 == 0 ? 0 : cell;
                    for (var x = offset; x < request.Width; x += 2 * cell)
                        canvas.DrawLine(x, y, x, y + cell, paint);
                }
                break;
            case 1: // tiles: a square grid
                for (var x = 0f; x < request.Width; x += cell) canvas.DrawLine(x, 0, x, request.Height, paint);
                for (var y = 0f; y < request.Height; y += cell) canvas.DrawLine(0, y, request.Width, y, paint);
                break;
            default: // stripes: slanted bands
                paint.Style = SKPaintStyle.Fill;
                paint.StrokeWidth = cell / 2;
                for (var x = -request.Height; x < request.Width; x += (int)(2 * cell))
                    canvas.DrawLine(x, 0, x + request.Height, request.Height, paint);
                break;
        }
    }

    /// <summary>Sharp-edged shapes (poles, windows, frames): structure that is not text.</summary>
    private static void DrawSharpClutter(SKCanvas canvas, SceneTextRequest request, Random rng)
    {
        var shortSide = Math.Min(request.Width, request.Height);
        var count = rng.Next(4, 12);
        for (var i = 0; i < count; i++)
        {
            using var paint = new SKPaint
            {
                Color = RandomColor(rng, 40, 200).WithAlpha((byte)rng.Next(90, 200)),
                IsAntialias = true,
                Style = rng.Next(2) == 0 ? SKPaintStyle.Fill : SKPaintStyle.Stroke,
                StrokeWidth = (float)(shortSide * 0.004 * (1 + rng.NextDouble() * 3)),
            };
            var x = (float)(rng.NextDouble() * request.Width);
            var y = (float)(rng.NextDouble() * request.Height);
            var w = (float)(shortSide * (0.02 + rng.NextDouble() * 0.25));
            var h = (float)(shortSide * (0.02 + rng.NextDouble() * 0.4));
            canvas.DrawRect(x, y, w, h, paint);
        }
    }

    /// <summary>
    /// Adds mild sensor-like luminance noise and returns the frame as RGBA8888 unpremultiplied,
    /// the layout decoded frames have. The frame is opaque, so premultiplied and unpremultiplied
    /// bytes are the same and a plain copy converts it.
    /// </summary>
    private static SKBitmap AddNoiseAsUnpremul(SKBitmap work, Random rng)
    {
        var pixels = new byte[work.ByteCount];
        Marshal.Copy(work.GetPixels(), pixels, 0, pixels.Length);

        var noise = new byte[work.Width * work.Height];
        rng.NextBytes(noise);
        var span = 2 * NoiseAmplitude + 1;
        for (var i = 0; i < noise.Length; i++)
        {
            var delta = (noise[i] * span >> 8) - NoiseAmplitude;
            var p = i * 4;
            pixels[p] = ClampByte(pixels[p] + delta);
            pixels[p + 1] = ClampByte(pixels[p + 1] + delta);
            pixels[p + 2] = ClampByte(pixels[p + 2] + delta);
            pixels[p + 3] = 255;
        }

        var bitmap = new SKBitmap(new SKImageInfo(work.Width, work.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    private static SKColor RandomColor(Random rng, int min, int max) =>
        new((byte)rng.Next(min, max + 1), (byte)rng.Next(min, max + 1), (byte)rng.Next(min, max + 1));

    private static byte Jitter(byte value, Random rng, int amount) => ClampByte(value + rng.Next(-amount, amount + 1));

    private static byte ClampByte(int value) => (byte)Math.Clamp(value, 0, 255);
}

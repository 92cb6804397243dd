using System.Runtime.InteropServices;
using CollabVlm.Imaging;
using SkiaSharp;

namespace CollabVlm.Simulation.Frames;

/// <summary>
/// Pastes signs into a real photograph the way a camera would see them: each plate (from
/// <see cref="SceneTextRenderer.RenderPlate"/>) is slightly defocused, turned out of the image plane
/// (a perspective warp: one edge nearer than the other, a little pitch and roll), lit like the
/// photo around it (brightness and colour cast of the spot it lands on, a shading gradient across
/// it), and the whole frame then gets sensor noise. The caller stores it as JPEG, the last
/// degradation. The photo's own pixels are cut, never rescaled, so the frame keeps the photograph's
/// real fine detail (foliage, grain, water) that small text has to compete with.
/// Output is a pure function of the request.
/// </summary>
public static class PhotoSignRenderer
{
    private const double MaxRollDegrees = 2.5;
    private const double MarginPerFrameSide = 0.03;
    private const int PlacementAttempts = 80;

    public static PhotoSignFrame Render(PhotoSignRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var rng = new Random(request.Seed);
        var crop = request.Crop;

        var work = new SKBitmap(new SKImageInfo(crop.Width, crop.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var placed = new List<PlacedPhotoSign>();
        var taken = new List<PixelRect>();
        using (var canvas = new SKCanvas(work))
        {
            using (var photo = SKImage.FromBitmap(request.Photo))
                canvas.DrawImage(photo, SKRect.Create(crop.X, crop.Y, crop.Width, crop.Height), SKRect.Create(crop.Width, crop.Height),
                    new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
            string? answerColour = null;
            foreach (var sign in request.Signs)
            {
                var result = Paste(canvas, work, sign, rng, answerColour, taken);
                if (result is null)
                {
                    if (answerColour is null)
                        throw new ArgumentException($"the sign \"{sign.Text}\" at {sign.TextHeightPx} px found no room in the {crop.Width}×{crop.Height} frame", nameof(request));
                    continue; // a distractor without room: the frame has fewer
                }
                answerColour ??= result.Colour;
                placed.Add(result);
                taken.Add(result.Box);
            }
        }
        var bitmap = AddSensorNoise(work, rng);
        work.Dispose();
        return new PhotoSignFrame(bitmap, placed);
    }

    private static void Validate(PhotoSignRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Photo);
        var c = request.Crop;
        if (c.Width < 64 || c.Height < 64 || c.X < 0 || c.Y < 0 || c.Right > request.Photo.Width || c.Bottom > request.Photo.Height)
            throw new ArgumentException($"crop {c} must be at least 64×64 and lie inside the {request.Photo.Width}×{request.Photo.Height} photo", nameof(request));
        if (request.Signs.Count == 0)
            throw new ArgumentException("at least one sign is needed (the first is the answer's)", nameof(request));
    }

    private static PlacedPhotoSign? Paste(SKCanvas canvas, SKBitmap frame, PhotoSign sign, Random rng, string? otherThan, List<PixelRect> taken)
    {
        // The out-of-plane turn: one vertical edge nearer the camera than the other, and the plate
        // foreshortened across; the cap height asked for is the mean of the two edges after the turn.
        var near = 1.0;
        var far = 0.82 + 0.18 * rng.NextDouble();
        var (left, right) = rng.Next(2) == 0 ? (near, far) : (far, near);
        var across = 0.75 + 0.25 * rng.NextDouble();
        var pitch = 0.9 + 0.1 * rng.NextDouble();
        var roll = (rng.NextDouble() * 2 - 1) * MaxRollDegrees * Math.PI / 180;
        var flatCap = Math.Max(2, (int)Math.Round(sign.TextHeightPx / ((left + right) / 2)));

        using var plate = SceneTextRenderer.RenderPlate(sign.Text, flatCap, rng, otherThan);
        var w = plate.Bitmap.Width;
        var h = plate.Bitmap.Height;
        var hw = w / 2.0 * across;
        var hh = h / 2.0;
        var topScale = rng.Next(2) == 0 ? pitch : 1.0;
        var bottomScale = topScale < 1 ? 1.0 : pitch;
        (double X, double Y)[] corners =
        [
            (-hw * topScale, -hh * left), (hw * topScale, -hh * right),
            (hw * bottomScale, hh * right), (-hw * bottomScale, hh * left),
        ];
        var (cos, sin) = (Math.Cos(roll), Math.Sin(roll));
        var turned = corners.Select(p => (X: p.X * cos - p.Y * sin, Y: p.X * sin + p.Y * cos)).ToArray();
        var spanX = turned.Max(p => p.X) - turned.Min(p => p.X);
        var spanY = turned.Max(p => p.Y) - turned.Min(p => p.Y);

        var marginX = MarginPerFrameSide * frame.Width;
        var marginY = MarginPerFrameSide * frame.Height;
        var roomX = frame.Width - 2 * marginX - spanX;
        var roomY = frame.Height - 2 * marginY - spanY;
        if (roomX < 0 || roomY < 0) return null;
        for (var attempt = 0; attempt < PlacementAttempts; attempt++)
        {
            var cx = marginX + spanX / 2 + rng.NextDouble() * roomX;
            var cy = marginY + spanY / 2 + rng.NextDouble() * roomY;
            var quad = turned.Select(p => new SKPoint((float)(cx + p.X), (float)(cy + p.Y))).ToArray();
            var box = Bounds(quad, frame.Width, frame.Height);
            var grown = new PixelRect(box.X - 2 * sign.TextHeightPx, box.Y - 2 * sign.TextHeightPx, box.Width + 4 * sign.TextHeightPx, box.Height + 4 * sign.TextHeightPx);
            if (taken.Any(t => t.X < grown.Right && grown.X < t.Right && t.Y < grown.Bottom && grown.Y < t.Bottom))
                continue;
            Draw(canvas, frame, plate.Bitmap, quad, box, rng);
            return new PlacedPhotoSign(sign.Text, box, flatCap * (left + right) / 2, plate.ColourName);
        }
        return null;
    }

    private static void Draw(SKCanvas canvas, SKBitmap frame, SKBitmap plate, SKPoint[] quad, PixelRect box, Random rng)
    {
        // Lit like its surroundings: a plate in shade is darker and takes the scene's colour cast.
        var (r, g, b) = MeanColour(frame, box);
        var luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
        var gain = Math.Clamp(0.55 + 0.55 * luminance, 0.55, 1.05) * (0.9 + 0.15 * rng.NextDouble());
        const double cast = 0.12;
        byte Mul(double channel) => (byte)Math.Clamp(255 * gain * (1 - cast + cast * channel / 128), 0, 255);
        using var lighting = SKColorFilter.CreateLighting(new SKColor(Mul(r), Mul(g), Mul(b)), new SKColor(0, 0, 0));
        // Defocus in the plate's own pixels (before the warp), a fraction of a pixel to about one.
        var sigma = (float)(0.25 + 0.8 * rng.NextDouble());
        using var blur = SKImageFilter.CreateBlur(sigma, sigma);
        using var paint = new SKPaint { ColorFilter = lighting, ImageFilter = blur, IsAntialias = true };

        var matrix = QuadMatrix(plate.Width, plate.Height, quad);
        using var image = SKImage.FromBitmap(plate);
        canvas.Save();
        canvas.Concat(in matrix);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
        canvas.Restore();
        // Shading: light falls off across the plate, drawn only inside the plate's quad so the photo stays as it was.
        var shade = (byte)rng.Next(10, 70);
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(plate.Width, plate.Height * (float)rng.NextDouble()),
            rng.Next(2) == 0 ? [SKColors.Transparent, new SKColor(0, 0, 0, shade)] : [new SKColor(0, 0, 0, shade), SKColors.Transparent], SKShaderTileMode.Clamp);
        using var shadePaint = new SKPaint { Shader = shader, IsAntialias = true };
        using var path = new SKPath();
        path.AddPoly(quad, close: true);
        canvas.Save();
        canvas.ClipPath(path, antialias: true);
        canvas.Concat(in matrix);
        canvas.DrawRect(SKRect.Create(plate.Width, plate.Height), shadePaint);
        canvas.Restore();
    }

    /// <summary>The projective map taking the plate's corners (0,0), (w,0), (w,h), (0,h) to <paramref name="quad"/>.</summary>
    public static SKMatrix QuadMatrix(int w, int h, SKPoint[] quad)
    {
        (double X, double Y)[] from = [(0, 0), (w, 0), (w, h), (0, h)];
        var a = new double[8, 9];
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = from[i];
            double u = quad[i].X, v = quad[i].Y;
            double[] rowU = [x, y, 1, 0, 0, 0, -x * u, -y * u, u];
            double[] rowV = [0, 0, 0, x, y, 1, -x * v, -y * v, v];
            for (var j = 0; j < 9; j++) { a[2 * i, j] = rowU[j]; a[2 * i + 1, j] = rowV[j]; }
        }
        var s = Solve(a);
        return new SKMatrix((float)s[0], (float)s[1], (float)s[2], (float)s[3], (float)s[4], (float)s[5], (float)s[6], (float)s[7], 1);
    }

    /// <summary>Gaussian elimination with partial pivoting on an n×(n+1) augmented matrix.</summary>
    private static double[] Solve(double[,] a)
    {
        var n = a.GetLength(0);
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(row => Math.Abs(a[row, col]));
            if (Math.Abs(a[pivot, col]) < 1e-12)
                throw new ArgumentException("the sign's corners are degenerate (three of them on one line)");
            for (var j = 0; j <= n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (var row = 0; row < n; row++)
            {
                if (row == col) continue;
                var f = a[row, col] / a[col, col];
                for (var j = col; j <= n; j++) a[row, j] -= f * a[col, j];
            }
        }
        return Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i]).ToArray();
    }

    private static PixelRect Bounds(SKPoint[] quad, int width, int height)
    {
        var x0 = Math.Clamp((int)Math.Floor(quad.Min(p => p.X)), 0, width - 1);
        var y0 = Math.Clamp((int)Math.Floor(quad.Min(p => p.Y)), 0, height - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(quad.Max(p => p.X)), x0 + 1, width);
        var y1 = Math.Clamp((int)Math.Ceiling(quad.Max(p => p.Y)), y0 + 1, height);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    private static (double R, double G, double B) MeanColour(SKBitmap frame, PixelRect box)
    {
        var pixels = frame.GetPixelSpan();
        var stride = frame.RowBytes;
        double r = 0, g = 0, b = 0;
        var n = 0;
        var step = Math.Max(1, Math.Min(box.Width, box.Height) / 16);
        for (var y = box.Y; y < box.Bottom; y += step)
            for (var x = box.X; x < box.Right; x += step)
            {
                var p = y * stride + x * 4;
                r += pixels[p];
                g += pixels[p + 1];
                b += pixels[p + 2];
                n++;
            }
        return n == 0 ? (128, 128, 128) : (r / n, g / n, b / n);
    }

    /// <summary>
    /// Sensor noise (a triangular distribution of about ±3 levels per channel) and the layout decoded
    /// frames have: RGBA8888, unpremultiplied, which for an opaque frame is a plain copy.
    /// </summary>
    private static SKBitmap AddSensorNoise(SKBitmap work, Random rng)
    {
        var pixels = new byte[work.ByteCount];
        Marshal.Copy(work.GetPixels(), pixels, 0, pixels.Length);
        var noise = new byte[pixels.Length * 2];
        rng.NextBytes(noise);
        for (var i = 0; i < pixels.Length; i++)
        {
            if ((i & 3) == 3) { pixels[i] = 255; continue; }
            var delta = ((noise[2 * i] + noise[2 * i + 1]) * 7 >> 9) - 3;
            pixels[i] = (byte)Math.Clamp(pixels[i] + delta, 0, 255);
        }
        var bitmap = new SKBitmap(new SKImageInfo(work.Width, work.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }
}

using CollabVlm.Inference.Reader;
using SkiaSharp;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// Idefics3's image processing as preprocessor_config.json defines it. Without splitting: the image
/// squashed to one <c>max_image_size</c> square. With splitting: resized so its long side is
/// <c>size.longest_edge</c> (aspect kept), each side rounded up to a multiple of the tile side,
/// cut into tiles row by row, plus the whole image squashed to one tile. Then rescale (× 1/255)
/// and normalize ((v − mean) / std) per RGB channel. All tiles are full, so the pixel attention
/// mask is all true.
/// </summary>
public static class Idefics3ImageProcessor
{
    public static PreparedImage Prepare(SKBitmap image, VlmConfig config)
    {
        var side = config.TileSide;
        var tiles = new List<SKBitmap>();
        int rows = 0, cols = 0;
        try
        {
            if (config.DoImageSplitting)
            {
                var (w, h) = (image.Width, image.Height);
                if (config.DoResize)
                {
                    var scale = (double)config.ResizeLongestEdge / Math.Max(w, h);
                    (w, h) = (Math.Max(1, (int)Math.Round(w * scale)), Math.Max(1, (int)Math.Round(h * scale)));
                }
                // resize_for_vision_encoder: round the long side up to whole tiles, derive the short side
                // from the aspect ratio, round that up too.
                var aspect = (double)w / h;
                if (w >= h)
                {
                    cols = (w + side - 1) / side;
                    rows = Math.Max(1, (int)Math.Ceiling((int)(cols * side / aspect) / (double)side));
                }
                else
                {
                    rows = (h + side - 1) / side;
                    cols = Math.Max(1, (int)Math.Ceiling((int)(rows * side * aspect) / (double)side));
                }
                if (rows * cols > 1)
                {
                    using var grid = ImageTensor.Resize(image, cols * side, rows * side);
                    for (var r = 0; r < rows; r++)
                        for (var c = 0; c < cols; c++)
                            tiles.Add(Crop(grid, c * side, r * side, side));
                }
                else
                {
                    rows = cols = 0;
                }
            }
            tiles.Add(ImageTensor.Resize(image, side, side));

            var plane = side * side;
            var pixels = new float[tiles.Count * 3 * plane];
            for (var t = 0; t < tiles.Count; t++)
                Fill(tiles[t], pixels.AsSpan(t * 3 * plane, 3 * plane), config);
            return new PreparedImage(pixels, tiles.Count, side, rows, cols);
        }
        finally
        {
            foreach (var t in tiles) t.Dispose();
        }
    }

    private static SKBitmap Crop(SKBitmap source, int x, int y, int side)
    {
        var tile = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!source.ExtractSubset(tile, new SKRectI(x, y, x + side, y + side)))
            throw new InvalidOperationException($"could not cut tile at ({x}, {y})");
        // ExtractSubset shares pixels with the source; copy so the tile outlives it.
        var copy = tile.Copy();
        tile.Dispose();
        return copy;
    }

    private static void Fill(SKBitmap rgba, Span<float> target, VlmConfig config)
    {
        if (rgba.ColorType != SKColorType.Rgba8888)
            throw new ArgumentException($"expected an RGBA8888 bitmap, got {rgba.ColorType}");
        int w = rgba.Width, h = rgba.Height, plane = w * h;
        var pixels = rgba.GetPixelSpan();
        var rescale = config.DoRescale ? config.RescaleFactor : 1.0;
        Span<double> mean = stackalloc double[3];
        Span<double> std = stackalloc double[3];
        for (var c = 0; c < 3; c++)
        {
            mean[c] = config.DoNormalize ? config.ImageMean[c] : 0;
            std[c] = config.DoNormalize ? config.ImageStd[c] : 1;
        }
        for (var y = 0; y < h; y++)
        {
            var row = pixels.Slice(y * rgba.RowBytes, w * 4);
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                    target[c * plane + y * w + x] = (float)((row[4 * x + c] * rescale - mean[c]) / std[c]);
        }
    }
}

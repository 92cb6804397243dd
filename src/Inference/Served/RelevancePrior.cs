using CollabVlm.Primitives;

namespace CollabVlm.Inference.Served;

/// <summary>Relevance maps for a model without attention: a box it pointed at, or a centred Gaussian when it pointed at nothing.</summary>
public static class RelevancePrior
{
    /// <summary>Cells along the longer side: fine enough for the RoI windows (which are a fraction of the frame), cheap to scan.</summary>
    public const int Cells = 32;

    /// <summary>1 in the cells the box touches, 0 elsewhere: the RoI window that holds the most of it wins.</summary>
    public static RelevanceMap FromBox(NormalizedBox box, int imageWidth, int imageHeight)
    {
        var (w, h) = Grid(imageWidth, imageHeight);
        var values = new float[w * h];
        var cx0 = Math.Clamp((int)Math.Floor(box.X0 * w), 0, w - 1);
        var cx1 = Math.Clamp((int)Math.Ceiling(box.X1 * w) - 1, cx0, w - 1);
        var cy0 = Math.Clamp((int)Math.Floor(box.Y0 * h), 0, h - 1);
        var cy1 = Math.Clamp((int)Math.Ceiling(box.Y1 * h) - 1, cy0, h - 1);
        for (var y = cy0; y <= cy1; y++)
            for (var x = cx0; x <= cx1; x++)
                values[y * w + x] = 1f;
        return new RelevanceMap(w, h, values);
    }

    /// <summary>A Gaussian centred on the image with σ a quarter of each side.</summary>
    public static RelevanceMap Centre(int imageWidth, int imageHeight)
    {
        var (w, h) = Grid(imageWidth, imageHeight);
        var values = new float[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var dx = ((x + 0.5) / w - 0.5) / 0.25;
                var dy = ((y + 0.5) / h - 0.5) / 0.25;
                values[y * w + x] = (float)Math.Exp(-0.5 * (dx * dx + dy * dy));
            }
        return new RelevanceMap(w, h, values);
    }

    // The map keeps the image's aspect, so a cell covers the same fraction of both.
    private static (int W, int H) Grid(int imageWidth, int imageHeight)
    {
        if (imageWidth < 1 || imageHeight < 1) return (Cells, Cells);
        return imageWidth >= imageHeight
            ? (Cells, Math.Max(1, (int)Math.Round((double)Cells * imageHeight / imageWidth)))
            : (Math.Max(1, (int)Math.Round((double)Cells * imageWidth / imageHeight)), Cells);
    }
}

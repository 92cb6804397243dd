using CollabVlm.Primitives;

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Sizes the local image and its layers to the link view and the time left before the server's
/// deadline (docs/progressive-layers.md): the first layer due within a third of the time, the whole plan within
/// the time less a margin that grows as the link estimate becomes less certain.
/// </summary>
public static class LayerPlanner
{
    /// <summary>
    /// The ratio between consecutive later layers' sizes: each layer about twice the one before, so
    /// a stream cut short (deadline, early stop) has delivered most layers rather than a few bytes
    /// of a large one.
    /// </summary>
    private const double LayerGrowth = 2.0;

    /// <summary>Long sides are tried in steps of this factor after the quality has reached its minimum.</summary>
    private const double LongSideStep = 0.8;
    private const int QualityStep = 5;

    /// <summary>
    /// Fixed cost of a progressive JPEG from <see cref="ProgressiveJpegEncoder"/> (SOI, JFIF, two
    /// DQT, SOF and one optimised DHT per scan): a 1×1 image is 519 bytes; a real image's
    /// Huffman tables are larger, hence 1000.
    /// </summary>
    private const double HeaderBytes = 1000;

    /// <summary>
    /// Bytes per pixel of <see cref="ProgressiveScanScripts.TextFirst"/> JPEGs by quality (whole
    /// file over pixels; <see cref="HeaderBytes"/> is added on top, which keeps small crops on the
    /// safe side). Measured on 24 scene-text crops (8 frames of 3840×2160 from SceneTextRenderer,
    /// cap heights 8–36 px, seeds 200–207, crops of 400–1300 px per side around the sign, each
    /// encoded at long sides 1280, 640 and 320 after GlobalImageMaker.Resize). The table holds the
    /// mean; the largest seen was about 1.5–2× it (q50 .038, q70 .045, q80 .068, q90 .133).
    /// The mean, not the maximum, because the two errors cost differently: an image larger than
    /// predicted loses only its trailing scans to <see cref="Plan"/> (the last luma bit, mostly
    /// noise), while one smaller than the budget allowed has lost resolution for good.
    /// Linear in between, flat below 30.
    /// </summary>
    private static readonly (int Quality, double BytesPerPixel)[] BytesPerPixelByQuality =
    [
        (30, 0.016),
        (40, 0.018),
        (50, 0.020),
        (60, 0.023),
        (70, 0.031),
        (80, 0.047),
        (90, 0.095),
        (95, 0.181),
        (100, 0.456),
    ];

    /// <summary>
    /// The long side and quality whose JPEG is expected to fit the bytes the link carries in the
    /// usable share of <paramref name="timeLeft"/>. Resolution is kept as long as possible (small
    /// text needs pixels more than it needs fine quantisation): the quality drops first, then the
    /// long side in steps of 0.8. Never upscales the crop; when nothing fits, the smallest allowed
    /// choice (the layer plan then drops trailing scans).
    /// </summary>
    public static (int LongSide, int Quality) ChooseEncoding(int cropWidth, int cropHeight, LinkView link, TimeSpan timeLeft, LayerPlanSettings s)
    {
        if (cropWidth < 1 || cropHeight < 1)
            throw new ArgumentException($"the crop is {cropWidth}×{cropHeight}; both sides must be at least 1 pixel", nameof(cropWidth));
        CheckInputs(link, timeLeft, s);

        var budget = link.BytesWithin(timeLeft * s.UsableShare(link.Confidence));
        var cropLongSide = Math.Max(cropWidth, cropHeight);
        var longSides = LongSides(Math.Min(cropLongSide, s.MaxLongSide), Math.Min(cropLongSide, s.MinLongSide)).ToArray();
        foreach (var longSide in longSides)
        {
            var scale = (double)longSide / cropLongSide;
            var pixels = Math.Max(1, Math.Round(cropWidth * scale)) * Math.Max(1, Math.Round(cropHeight * scale));
            for (var quality = s.MaxQuality; ; quality = Math.Max(s.MinQuality, quality - QualityStep))
            {
                if (PredictBytes(pixels, quality) <= budget)
                    return (longSide, quality);
                if (quality == s.MinQuality)
                    break;
            }
        }

        return (longSides[^1], s.MinQuality);
    }

    /// <summary>Expected size of a TextFirst progressive JPEG of <paramref name="pixels"/> pixels at <paramref name="quality"/>.</summary>
    public static double PredictBytes(double pixels, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);

        var table = BytesPerPixelByQuality;
        var bytesPerPixel = table[0].BytesPerPixel;
        for (var i = 1; i < table.Length && quality > table[i - 1].Quality; i++)
        {
            var (q0, b0) = table[i - 1];
            var (q1, b1) = table[i];
            bytesPerPixel = b0 + (b1 - b0) * (Math.Min(quality, q1) - q0) / (q1 - q0);
        }

        return HeaderBytes + bytesPerPixel * pixels;
    }

    /// <summary>
    /// Groups the JPEG's scans into layers: the first ends at the last scan whose arrival is due
    /// within <see cref="LayerPlanSettings.FirstLayerShareOfTime"/> of <paramref name="timeLeft"/>
    /// (at most <see cref="LayerPlanSettings.FirstLayerMaxScans"/>), the whole plan within the
    /// usable time (<see cref="LayerPlanSettings.UsableShare"/>); trailing scans that would arrive
    /// later are dropped; the rest go in up to MaxLayers − 1 layers that double in size. There is
    /// always at least one layer (header + first scan), even when it is not expected in time:
    /// the server decides at its deadline what to do with what arrived. Scans beyond
    /// <paramref name="maxBytes"/> (the most the receiver accepts) are dropped too.
    /// </summary>
    public static LayerPlan Plan(ProgressiveJpeg jpeg, LinkView link, TimeSpan timeLeft, LayerPlanSettings s, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentNullException.ThrowIfNull(jpeg);
        CheckInputs(link, timeLeft, s);

        var usable = timeLeft * s.UsableShare(link.Confidence);
        var firstDue = timeLeft * s.FirstLayerShareOfTime;
        bool ArrivesBy(int scans, TimeSpan due) => link.TimeToDeliver(jpeg.PrefixLength(scans)) <= due;

        var planned = 1;
        while (planned < jpeg.ScanCount && ArrivesBy(planned + 1, usable) && jpeg.PrefixLength(planned + 1) <= maxBytes)
            planned++;
        var first = 1;
        while (first < Math.Min(planned, s.FirstLayerMaxScans) && ArrivesBy(first + 1, firstDue))
            first++;
        // One layer allowed: it carries every planned scan (a single-layer upload, the baseline).
        if (s.MaxLayers == 1) first = planned;

        var ends = new List<int> { first };
        ends.AddRange(LaterLayerEnds(jpeg, first, planned, s.MaxLayers - 1));

        var layers = new List<PlannedLayer>(ends.Count);
        var start = 0;
        foreach (var end in ends)
        {
            var bytes = jpeg.PrefixLength(end) - (start == 0 ? 0 : jpeg.PrefixLength(start));
            layers.Add(new PlannedLayer(start, end - start, bytes, link.TimeToDeliver(jpeg.PrefixLength(end))));
            start = end;
        }

        long plannedBytes = jpeg.PrefixLength(planned);
        return new LayerPlan(layers, plannedBytes, jpeg.ScanCount - planned, jpeg.Bytes.Length - plannedBytes, link, timeLeft, usable, firstDue);
    }

    /// <summary>
    /// Scan counts at which the layers after the first end: the bytes between the first layer and
    /// the planned end are split into at most <paramref name="maxLayers"/> parts growing by
    /// <see cref="LayerGrowth"/>, each boundary moved to the nearest scan end, every layer keeping
    /// at least one scan.
    /// </summary>
    private static IEnumerable<int> LaterLayerEnds(ProgressiveJpeg jpeg, int first, int planned, int maxLayers)
    {
        var layers = Math.Min(maxLayers, planned - first);
        if (layers <= 0)
            yield break;

        double from = jpeg.PrefixLength(first);
        double remaining = jpeg.PrefixLength(planned) - from;
        var unit = remaining * (LayerGrowth - 1) / (Math.Pow(LayerGrowth, layers) - 1);
        var previous = first;
        double target = from;
        for (var i = 0; i < layers - 1; i++)
        {
            target += unit * Math.Pow(LayerGrowth, i);
            var layersAfter = layers - 1 - i;
            // Nearest scan end to the target, leaving at least one scan for each later layer.
            var best = previous + 1;
            for (var scans = previous + 1; scans <= planned - layersAfter; scans++)
            {
                if (Math.Abs(jpeg.PrefixLength(scans) - target) < Math.Abs(jpeg.PrefixLength(best) - target))
                    best = scans;
            }

            yield return best;
            previous = best;
        }

        yield return planned;
    }

    private static IEnumerable<int> LongSides(int largest, int smallest)
    {
        for (double side = largest; side > smallest; side *= LongSideStep)
            yield return (int)Math.Round(side);
        yield return smallest;
    }

    private static void CheckInputs(LinkView link, TimeSpan timeLeft, LayerPlanSettings s)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(s);
        if (timeLeft < TimeSpan.Zero)
            throw new ArgumentException($"the time left is negative ({timeLeft.TotalMilliseconds} ms): the deadline has passed", nameof(timeLeft));
        if (!(link.BytesPerSecond > 0) || double.IsInfinity(link.BytesPerSecond))
            throw new ArgumentException($"the link's rate must be a positive, finite number of bytes per second; got {link.BytesPerSecond}", nameof(link));
        if (link.RoundTrip < TimeSpan.Zero)
            throw new ArgumentException($"the link's round trip is negative ({link.RoundTrip.TotalMilliseconds} ms)", nameof(link));
        if (!(link.Confidence >= 0 && link.Confidence <= 1))
            throw new ArgumentException($"the link's confidence must be in 0..1; got {link.Confidence}", nameof(link));
        var problem = s.Validate();
        if (problem is not null)
            throw new ArgumentException(problem, nameof(s));
    }
}

using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Imaging.Tests.Progressive;

public sealed class LayerPlannerTests
{
    private static readonly LayerPlanSettings Settings = LayerPlanSettings.Default;
    private static readonly TimeSpan TimeLeft = TimeSpan.FromSeconds(2);
    private static readonly ProgressiveJpeg Jpeg = Encode();

    private static ProgressiveJpeg Encode()
    {
        using var bitmap = TestFrames.PhotoLike(640, 480);
        return ProgressiveJpegEncoder.Encode(bitmap, 85);
    }

    private static LinkView Link(double bytesPerSecond, double confidence = 1, int rttMs = 50) =>
        new(bytesPerSecond, TimeSpan.FromMilliseconds(rttMs), confidence);

    /// <summary>A rate at which the whole file needs about <paramref name="share"/> of the time left.</summary>
    private static double RateForShare(double share) => Jpeg.Bytes.Length / (TimeLeft.TotalSeconds * share);

    [Theory]
    [InlineData(0.4)]
    [InlineData(1.0)]
    [InlineData(1.8)]
    [InlineData(10.0)] // only the mandatory first scan fits in nothing: it goes anyway, alone
    public void First_layer_is_due_within_a_third_and_the_plan_within_the_usable_time(double shareOfTimeNeeded)
    {
        var link = Link(RateForShare(shareOfTimeNeeded), confidence: 0.6);

        var plan = LayerPlanner.Plan(Jpeg, link, TimeLeft, Settings);

        var first = plan.Layers[0];
        Assert.True(first.ExpectedArrival <= TimeLeft / 3 || (first.ScanCount == 1 && plan.Layers.Count == 1),
            $"first layer of {first.ScanCount} scans due at {first.ExpectedArrival}");
        Assert.Equal(TimeLeft * (0.5 + 0.4 * 0.6), plan.UsableTime);
        Assert.True(plan.Layers[^1].ExpectedArrival <= plan.UsableTime || plan.PlannedScans == 1,
            $"last layer due at {plan.Layers[^1].ExpectedArrival}");
        Assert.Equal(link.TimeToDeliver(plan.PlannedBytes), plan.Layers[^1].ExpectedArrival);
        Assert.InRange(plan.Layers.Count, 1, Settings.MaxLayers);
        Assert.True(plan.Layers.Zip(plan.Layers.Skip(1)).All(p => p.First.ExpectedArrival < p.Second.ExpectedArrival));
        Assert.Equal(plan.PlannedBytes, plan.Layers.Sum(l => (long)l.Bytes));
        Assert.Equal(Jpeg.Bytes.Length, plan.PlannedBytes + plan.DroppedBytes);
    }

    [Fact]
    public void Fast_link_sends_everything_in_layers_that_grow()
    {
        var plan = LayerPlanner.Plan(Jpeg, Link(RateForShare(0.05)), TimeLeft, Settings);

        Assert.Equal((0, 0L), (plan.DroppedScans, plan.DroppedBytes));
        Assert.Equal(Jpeg.Bytes, plan.Segments(Jpeg).SelectMany(s => s).ToArray());
        Assert.Equal(Settings.FirstLayerMaxScans, plan.Layers[0].ScanCount);
        Assert.True(plan.Layers.Count > 1, "a fast link still gets an early readable layer and the rest after it");
        Assert.True(plan.Layers[^1].Bytes >= plan.Layers[1].Bytes, "later layers should not shrink");
    }

    [Fact]
    public void Planned_layers_reassemble_on_the_receiver_into_images_that_only_get_better()
    {
        var plan = LayerPlanner.Plan(Jpeg, Link(RateForShare(1.2), confidence: 0.8), TimeLeft, Settings);
        Assert.True(plan.Layers.Count >= 3 && plan.DroppedScans > 0, $"{plan.Layers.Count} layers, {plan.DroppedScans} dropped");
        using var full = SafeImageDecoder.Decode(Jpeg.Bytes);
        var assembler = new ProgressiveJpegAssembler(Jpeg.Bytes.Length);

        var previous = 0.0;
        foreach (var segment in plan.Segments(Jpeg))
        {
            assembler.Append(segment);
            using var decoded = SafeImageDecoder.Decode(assembler.DecodableBytes());
            Assert.Equal((Jpeg.Width, Jpeg.Height), (decoded.Width, decoded.Height));
            var psnr = PeakSignalToNoise.Compute(full, decoded);
            Assert.True(psnr > previous, $"layer {assembler.LayersReceived}: {psnr:F2} dB after {previous:F2} dB");
            previous = psnr;
        }

        Assert.Equal(plan.PlannedBytes, assembler.Length);
    }

    [Fact]
    public void Slow_link_drops_trailing_scans_and_says_how_many()
    {
        var plan = LayerPlanner.Plan(Jpeg, Link(RateForShare(2.5)), TimeLeft, Settings);

        Assert.True(plan.DroppedScans > 0);
        Assert.Equal(Jpeg.ScanCount, plan.PlannedScans + plan.DroppedScans);
        Assert.Equal(Jpeg.Bytes.Length - Jpeg.PrefixLength(plan.PlannedScans), plan.DroppedBytes);
        Assert.Equal(Jpeg.Bytes.AsSpan(0, (int)plan.PlannedBytes).ToArray(), plan.Segments(Jpeg).SelectMany(s => s).ToArray());
        // The next scan would have missed the usable time.
        Assert.True(plan.Link.TimeToDeliver(Jpeg.PrefixLength(plan.PlannedScans + 1)) > plan.UsableTime);
    }

    [Fact]
    public void Margin_grows_as_confidence_falls()
    {
        var rate = RateForShare(0.8);
        var plans = new[] { 1.0, 0.5, 0.0 }.Select(c => LayerPlanner.Plan(Jpeg, Link(rate, c), TimeLeft, Settings)).ToArray();

        Assert.True(plans[0].UsableTime > plans[1].UsableTime && plans[1].UsableTime > plans[2].UsableTime);
        Assert.Equal(TimeLeft * 0.5, plans[2].UsableTime);
        Assert.True(plans[0].PlannedBytes >= plans[1].PlannedBytes && plans[1].PlannedBytes >= plans[2].PlannedBytes);
        Assert.True(plans[0].PlannedBytes > plans[2].PlannedBytes, "an unsure estimate should send less at this rate");
    }

    [Fact]
    public void Always_at_least_the_header_and_first_scan_even_when_nothing_fits()
    {
        foreach (var plan in new[]
                 {
                     LayerPlanner.Plan(Jpeg, Link(10), TimeLeft, Settings),
                     LayerPlanner.Plan(Jpeg, Link(1e9), TimeSpan.Zero, Settings),
                 })
        {
            var layer = Assert.Single(plan.Layers);
            Assert.Equal((0, 1), (layer.FirstScan, layer.ScanCount));
            Assert.Equal(Jpeg.ScanCount - 1, plan.DroppedScans);
            Assert.Equal(Jpeg.Prefix(1)[..^2], Assert.Single(plan.Segments(Jpeg)));
        }
    }

    [Fact]
    public void Bad_inputs_are_refused_naming_what_was_wrong()
    {
        var link = Link(100_000);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, link, TimeSpan.FromSeconds(-1), Settings)).Message);
        Assert.Contains("rate", Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, Link(0), TimeLeft, Settings)).Message);
        Assert.Contains("rate", Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, Link(double.NaN), TimeLeft, Settings)).Message);
        Assert.Contains("confidence", Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, Link(1000, confidence: 1.5), TimeLeft, Settings)).Message);
        Assert.Contains("round trip", Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, Link(1000, rttMs: -5), TimeLeft, Settings)).Message);
        Assert.Contains("max layers", Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, link, TimeLeft, Settings with { MaxLayers = 0 })).Message);
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => LayerPlanner.ChooseEncoding(0, 100, link, TimeLeft, Settings)).Message.Replace("0×", "zero"));
        Assert.Contains("qualities", Assert.Throws<ArgumentException>(() => LayerPlanner.ChooseEncoding(100, 100, link, TimeLeft, Settings with { MinQuality = 95 })).Message);
        Assert.Throws<ArgumentException>(() => LayerPlanner.Plan(Jpeg, link, TimeLeft, Settings).Segments(Encode50()));
        Assert.Throws<ArgumentException>(() => LayerPlanner.ChooseEncoding(100, 100, Link(0), TimeLeft, Settings));
    }

    private static ProgressiveJpeg Encode50()
    {
        using var bitmap = TestFrames.PhotoLike(50, 50);
        return ProgressiveJpegEncoder.Encode(bitmap, 50);
    }

    [Fact]
    public void Encoding_keeps_the_crop_size_and_top_quality_on_a_fast_link_and_never_upscales()
    {
        var fast = Link(50_000_000);

        Assert.Equal((1280, 90), LayerPlanner.ChooseEncoding(4000, 3000, fast, TimeLeft, Settings));
        Assert.Equal((700, 90), LayerPlanner.ChooseEncoding(500, 700, fast, TimeLeft, Settings));
        Assert.Equal((200, 50), LayerPlanner.ChooseEncoding(200, 100, Link(10), TimeLeft, Settings));
    }

    [Fact]
    public void Encoding_lowers_quality_before_resolution_and_stops_at_the_minimums()
    {
        var choices = new[] { 2_000_000.0, 300_000, 100_000, 30_000, 5_000, 100 }
            .Select(rate => (Rate: rate, Choice: LayerPlanner.ChooseEncoding(1200, 900, Link(rate), TimeLeft, Settings)))
            .ToArray();

        Assert.Equal((1200, 90), choices[0].Choice);
        Assert.Equal((320, 50), choices[^1].Choice);
        Assert.Contains(choices, c => c.Choice.LongSide == 1200 && c.Choice.Quality is > 50 and < 90);
        Assert.True(choices.Zip(choices.Skip(1)).All(p => p.Second.Choice.LongSide <= p.First.Choice.LongSide));
        foreach (var (rate, _) in choices.Where(c => c.Choice.LongSide < 1200))
        {
            // Resolution went down only because the full size did not fit even at the lowest quality.
            var budget = Link(rate).BytesWithin(TimeLeft * Settings.UsableShare(1));
            Assert.True(LayerPlanner.PredictBytes(1200 * 900, Settings.MinQuality) > budget, $"at {rate} B/s");
        }
    }

    /// <summary>
    /// The size model is a mean, so a real crop may overshoot its budget a little; what must hold is
    /// that the overshoot is small and lands in the trailing refinement scans, so the plan still
    /// sends every scan up to luma at its last-but-one bit (TextFirst's first four).
    /// </summary>
    [Fact]
    public void The_chosen_encoding_of_a_real_text_crop_about_fits_and_keeps_its_readable_scans()
    {
        using var crop = ProgressiveSamples.TextCrop(seed: 31, textHeight: 12);
        foreach (var rate in new[] { 20_000.0, 60_000, 125_000, 400_000 })
        {
            var link = Link(rate, confidence: 0.7);
            var (longSide, quality) = LayerPlanner.ChooseEncoding(crop.Width, crop.Height, link, TimeLeft, Settings);
            using var resized = GlobalImageMaker.Resize(crop, longSide);
            var jpeg = ProgressiveJpegEncoder.Encode(resized, quality);

            var budget = link.BytesWithin(TimeLeft * Settings.UsableShare(link.Confidence));
            var plan = LayerPlanner.Plan(jpeg, link, TimeLeft, Settings);
            Assert.True(jpeg.Bytes.Length <= 1.5 * budget || (longSide, quality) == (Settings.MinLongSide, Settings.MinQuality),
                $"at {rate} B/s: {longSide} px q{quality} is {jpeg.Bytes.Length} bytes, far over the budget of {budget}");
            Assert.True(plan.PlannedScans >= 4, $"at {rate} B/s only {plan.PlannedScans} scans fit");
        }
    }
}

using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Frames;

namespace CollabVlm.Imaging.Tests.Progressive;

/// <summary>The planner's caps that come from outside the link view: the receiver's byte grant and a single-layer upload.</summary>
public sealed class LayerPlannerBoundsTests
{
    private static readonly LinkView Fast = new(50_000_000, TimeSpan.FromMilliseconds(5), 1);

    private static ProgressiveJpeg Crop()
    {
        using var scene = SceneTextRenderer.Render(new SceneTextRequest(1200, 900, "PLATFORM 9", 30, Seed: 2));
        return ProgressiveJpegEncoder.Encode(scene.Bitmap, 85);
    }

    [Fact]
    public void Scans_beyond_the_byte_grant_are_dropped_and_what_is_planned_fits_it()
    {
        var jpeg = Crop();
        var grant = jpeg.Bytes.Length / 2;
        var plan = LayerPlanner.Plan(jpeg, Fast, TimeSpan.FromSeconds(10), LayerPlanSettings.Default, grant);
        Assert.InRange(plan.PlannedBytes, 1, grant);
        Assert.True(plan.DroppedScans > 0);
        Assert.Equal(jpeg.Bytes.Length, plan.PlannedBytes + plan.DroppedBytes);
        Assert.Equal(plan.PlannedBytes, plan.Segments(jpeg).Sum(l => (long)l.Length));
    }

    [Fact]
    public void With_one_layer_allowed_every_planned_scan_goes_in_it()
    {
        var jpeg = Crop();
        var plan = LayerPlanner.Plan(jpeg, Fast, TimeSpan.FromSeconds(10), LayerPlanSettings.Default with { MaxLayers = 1 });
        var layer = Assert.Single(plan.Layers);
        Assert.Equal((0, jpeg.ScanCount, jpeg.Bytes.Length), (layer.FirstScan, layer.ScanCount, layer.Bytes));
        Assert.Equal(jpeg.Bytes, Assert.Single(plan.Segments(jpeg)));
    }

    [Fact]
    public void A_zero_byte_grant_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerPlanner.Plan(Crop(), Fast, TimeSpan.FromSeconds(1), LayerPlanSettings.Default, 0));
}

using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.TwoStage.Tests.Region;

/// <summary>The two-level zoom's geometry, without a model: where the wide view lies and how the tight region maps back.</summary>
public sealed class TwoLevelZoomTests
{
    [Fact]
    public void The_wide_view_is_the_factor_times_the_base_side_centred_on_the_servers_region()
    {
        var zoom = new TwoLevelZoom(WideFactor: 3);
        var wide = zoom.Wide(NormalizedBox.Create(0.4, 0.4, 0.6, 0.6), basePixels: 500, frameWidth: 4000, frameHeight: 3000);

        Assert.Equal(1500.0 / 4000, wide.Width, 9);
        Assert.Equal(1500.0 / 3000, wide.Height, 9);
        Assert.Equal((0.5, 0.5), ((wide.X0 + wide.X1) / 2, (wide.Y0 + wide.Y1) / 2));
    }

    [Fact]
    public void A_wide_view_that_would_leave_the_frame_is_shifted_inside_and_cut_to_it()
    {
        var zoom = new TwoLevelZoom(WideFactor: 4);
        var corner = zoom.Wide(NormalizedBox.Create(0.9, 0.0, 1.0, 0.1), basePixels: 500, frameWidth: 4000, frameHeight: 1000);

        // 2000 px wide in a 4000-px frame, pushed in from the right edge; taller than the frame, so all of its height.
        Assert.Equal(new NormalizedBox(0.5, 0, 1, 1), corner);
    }

    [Fact]
    public void The_tight_region_lies_where_the_pass_over_the_wide_view_found_relevance_in_frame_coordinates()
    {
        // A 20×20 map over the wide view, hot only in the cell around (0.8, 0.2) of it.
        var values = new float[20 * 20];
        values[4 * 20 + 16] = 1;
        var wide = NormalizedBox.Create(0.2, 0.3, 0.6, 0.8); // 1600 × 1500 px of a 4000 × 3000 frame

        var tight = TwoLevelZoom.Tight(wide, new RelevanceMap(20, 20, values), basePixels: 400, frameWidth: 4000, frameHeight: 3000);

        var (hotX, hotY) = (0.2 + 0.825 * 0.4, 0.3 + 0.225 * 0.5); // the hot cell's centre in the frame
        Assert.InRange(hotX, tight.X0, tight.X1);
        Assert.InRange(hotY, tight.Y0, tight.Y1);
        Assert.True(tight.X0 >= wide.X0 && tight.X1 <= wide.X1 && tight.Y0 >= wide.Y0 && tight.Y1 <= wide.Y1, $"{tight} outside {wide}");
        // About the base side (ViCrop's scales go to twice it), far smaller than the wide view.
        Assert.InRange(tight.Width * 4000, 399.9, 800.1);
    }
}

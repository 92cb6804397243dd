using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Frames;
using CollabVlm.TwoStage.LocalImage;

namespace CollabVlm.TwoStage.Tests.LocalImage;

/// <summary>From a region request and a link view to the layers the edge streams.</summary>
public sealed class LocalImageEncoderTests
{
    private static LocalImageRequest Request(TimeSpan deadline, long maxBytes = 2_000_000, int maxLongSide = 1280, int quality = 90) =>
        new(NormalizedBox.Create(0.5, 0.5, 0.9, 0.9), deadline, maxLongSide, quality, maxBytes);

    [Fact]
    public void The_servers_caps_narrow_the_edges_bounds_but_never_widen_them()
    {
        var own = LayerPlanSettings.Default with { MaxLongSide = 1280, MinLongSide = 320, MinQuality = 50, MaxQuality = 90 };
        var narrowed = LocalImageEncoder.Bounds(own, Request(TimeSpan.FromSeconds(5), maxLongSide: 200, quality: 40));
        Assert.Equal((200, 200, 40, 40), (narrowed.MaxLongSide, narrowed.MinLongSide, narrowed.MaxQuality, narrowed.MinQuality));
        var kept = LocalImageEncoder.Bounds(own, Request(TimeSpan.FromSeconds(5), maxLongSide: 4000, quality: 100));
        Assert.Equal((1280, 320, 90, 50), (kept.MaxLongSide, kept.MinLongSide, kept.MaxQuality, kept.MinQuality));
    }

    [Fact]
    public void A_fast_link_gets_every_scan_and_the_layers_decode_to_the_whole_crop()
    {
        using var scene = SceneTextRenderer.Render(new SceneTextRequest(3000, 2000, "GATE 7", 20, Seed: 4));
        var fast = new LinkView(50_000_000, TimeSpan.FromMilliseconds(5), 1);
        var image = LocalImageEncoder.Encode(scene.Bitmap, Request(TimeSpan.FromSeconds(5)), fast, LayerPlanSettings.Default);

        Assert.Equal(0, image.Plan.DroppedScans);
        Assert.InRange(image.Layers.Count, 2, LayerPlanSettings.Default.MaxLayers);
        using var decoded = SafeImageDecoder.Decode(image.Layers.SelectMany(l => l).ToArray());
        Assert.Equal((1200, 800), (decoded.Width, decoded.Height)); // 0.4 × 3000 by 0.4 × 2000, under the 1280 cap
    }

    [Fact]
    public void The_servers_byte_cap_drops_the_finest_scans()
    {
        using var scene = SceneTextRenderer.Render(new SceneTextRequest(3000, 2000, "GATE 7", 20, Seed: 4));
        var fast = new LinkView(50_000_000, TimeSpan.FromMilliseconds(5), 1);
        var whole = LocalImageEncoder.Encode(scene.Bitmap, Request(TimeSpan.FromSeconds(5)), fast, LayerPlanSettings.Default);
        var cap = whole.TotalBytes / 2;

        var capped = LocalImageEncoder.Encode(scene.Bitmap, Request(TimeSpan.FromSeconds(5), maxBytes: cap), fast, LayerPlanSettings.Default);
        Assert.InRange(capped.TotalBytes, 1, cap);
        Assert.True(capped.Plan.DroppedScans > 0);
        // What was sent still decodes (a prefix plus the End-Of-Image marker the receiver adds).
        using var decoded = SafeImageDecoder.Decode([.. capped.Layers.SelectMany(l => l), 0xFF, 0xD9]);
        Assert.Equal((whole.Width, whole.Height), (decoded.Width, decoded.Height));
    }
}

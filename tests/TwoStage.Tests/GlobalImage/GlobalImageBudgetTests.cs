using CollabVlm.Primitives;
using CollabVlm.Simulation.Frames;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.GlobalImage;

namespace CollabVlm.TwoStage.Tests.GlobalImage;

public sealed class GlobalImageBudgetTests
{
    private static readonly EdgeSettings Settings = new() { MaxGlobalBytes = 90_000, MinGlobalBytes = 12_000, GlobalTargetUploadTime = TimeSpan.FromSeconds(1) };

    [Fact]
    public void An_unknown_link_does_not_shrink_the_global_image() =>
        Assert.Equal(90_000, GlobalImageBudget.MaxBytes(LinkView.Unknown, Settings));

    [Fact]
    public void A_slow_link_in_which_the_edge_is_confident_shrinks_it_to_what_arrives_in_the_target_time()
    {
        var link = new LinkView(31_250, TimeSpan.FromMilliseconds(100), 0.9); // 250 kbit/s
        Assert.Equal(link.BytesWithin(TimeSpan.FromSeconds(1)), GlobalImageBudget.MaxBytes(link, Settings));
        Assert.InRange(GlobalImageBudget.MaxBytes(link, Settings), 29_000, 30_000);
    }

    [Fact]
    public void A_fast_link_keeps_the_message_cap_and_a_very_slow_one_the_floor()
    {
        Assert.Equal(90_000, GlobalImageBudget.MaxBytes(new LinkView(10_000_000, TimeSpan.FromMilliseconds(20), 1), Settings));
        Assert.Equal(12_000, GlobalImageBudget.MaxBytes(new LinkView(1_000, TimeSpan.FromMilliseconds(20), 1), Settings));
    }

    [Fact]
    public void Too_little_confidence_means_the_plain_cap()
    {
        var link = new LinkView(31_250, TimeSpan.FromMilliseconds(100), GlobalImageBudget.MinConfidence / 2);
        Assert.Equal(90_000, GlobalImageBudget.MaxBytes(link, Settings));
    }

    [Fact]
    public void A_budget_no_quality_can_meet_still_gives_the_smallest_acceptable_image()
    {
        using var scene = SceneTextRenderer.Render(new SceneTextRequest(2048, 1536, "EXIT 24", 40, Seed: 1));
        var unknown = GlobalImageBudget.Make(scene.Bitmap, LinkView.Unknown, Settings);
        Assert.Equal(Settings.GlobalJpegQuality, unknown.Quality);

        var crawling = new LinkView(100, TimeSpan.FromMilliseconds(20), 1); // 100 B/s: no quality fits 1 s, so the lowest is sent
        var image = GlobalImageBudget.Make(scene.Bitmap, crawling, Settings with { MinGlobalBytes = 100 });
        Assert.Equal(Settings.MinGlobalJpegQuality, image.Quality);
        Assert.True(image.Bytes.Length < unknown.Bytes.Length);
    }
}

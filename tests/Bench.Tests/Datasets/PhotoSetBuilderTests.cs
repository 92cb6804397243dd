using CollabVlm.Bench.Datasets;
using CollabVlm.Imaging;
using CollabVlm.Simulation.Frames;
using SkiaSharp;

namespace CollabVlm.Bench.Tests.Datasets;

public sealed class PhotoSetBuilderTests
{
    /// <summary>Two sources of stand-in photographs (one too narrow, which must be skipped) under <paramref name="root"/>.</summary>
    private static string Sources(string root)
    {
        var photos = Path.Combine(root, "sources");
        void Photo(string source, string name, int width, int height, byte shade)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            bitmap.Erase(new SKColor(shade, (byte)(255 - shade), 128));
            FrameFiles.SavePng(bitmap, Path.Combine(photos, source, name));
        }
        Photo("tune-source", "a.png", 1500, 1000, 60);
        Photo("tune-source", "narrow.png", 900, 1000, 60);
        Photo("held-source", "b.png", 1400, 1000, 200);
        return photos;
    }

    private static PhotoSetSettings Settings(string photos) => new(photos, "held-source", Count: 7, HoldoutCount: 3, Seed: 4)
    {
        MinWidth = 1200, MaxWidth = 1400, DistractorShare = 0.5,
    };

    [Fact]
    public void Writes_tune_and_holdout_sets_from_disjoint_sources_with_boxes_bands_and_questions()
    {
        using var folder = new TempFolder();
        var settings = Settings(Sources(folder.Path));
        var (tune, holdout) = PhotoSetBuilder.Build(Path.Combine(folder.Path, "out"), settings);
        Assert.Equal(7, tune.Count);
        Assert.Equal(3, holdout.Count);
        Assert.All(tune, i => Assert.Equal("a.png", i.Source));
        Assert.All(holdout, i => Assert.Equal("b.png", i.Source));

        var loaded = DatasetManifest.Load(Path.Combine(folder.Path, "out", PhotoSetBuilder.TuneFolder));
        Assert.Equal(tune.Select(i => i.Id), loaded.Items.Select(i => i.Id));
        foreach (var item in loaded.Items)
        {
            var header = SafeImageDecoder.ReadHeader(File.ReadAllBytes(loaded.ImagePath(item)));
            Assert.Equal(ImageFormatKind.Jpeg, header.Format);
            Assert.Equal((item.Width, item.Height), (header.Width, header.Height));
            Assert.InRange(header.Width, 1200, 1400);
            var box = item.Box!;
            Assert.True(box.X0 >= 0 && box.Y0 >= 0 && box.X1 <= header.Width && box.Y1 <= header.Height);
            Assert.Contains(PhotoSetSettings.Bands, b => Math.Abs(item.TextHeightPx!.Value - b) <= 0.12 * b + 1);
            Assert.Equal(item.Distractors == 0, item.Question == SignQuestion.Plain);
        }
        // Six bands over seven questions: each band at least once.
        Assert.All(PhotoSetSettings.Bands, b => Assert.Contains(tune, i => Math.Abs(i.TextHeightPx!.Value - b) <= 0.12 * b + 1));
    }

    [Fact]
    public void Sources_skip_photos_narrower_than_the_frames()
    {
        using var folder = new TempFolder();
        var sources = PhotoSetBuilder.Sources(Sources(folder.Path), 1200);
        Assert.Equal(["a.png"], sources["tune-source"].Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_holdout_source_is_named()
    {
        using var folder = new TempFolder();
        var settings = Settings(Sources(folder.Path)) with { Holdout = "nope" };
        Assert.Contains("nope is not a subfolder", settings.Validate());
    }
}

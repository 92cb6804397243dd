using CollabVlm.Bench.Datasets;
using CollabVlm.Imaging;

namespace CollabVlm.Bench.Tests.Datasets;

public sealed class DatasetGeneratorTests
{
    // Small frames keep the test quick; the command's defaults are 2048–4000 px.
    private static GeneratorSettings Tiny(int seed, double distractorShare) => new(4, seed)
    {
        MinWidth = 480, MaxWidth = 640, MinTextHeight = 10, MaxTextHeight = 20, DistractorShare = distractorShare,
    };

    [Fact]
    public void Writes_a_manifest_that_loads_with_frames_of_the_drawn_sizes_and_boxes_inside_them()
    {
        using var folder = new TempFolder();
        var written = DatasetGenerator.Generate(folder.Path, Tiny(seed: 2, distractorShare: 0.5));
        var loaded = DatasetManifest.Load(folder.Path);
        Assert.Equal(written.Select(i => i.Id), loaded.Items.Select(i => i.Id));
        foreach (var item in loaded.Items)
        {
            var header = SafeImageDecoder.ReadHeader(File.ReadAllBytes(loaded.ImagePath(item)));
            Assert.Equal(ImageFormatKind.Jpeg, header.Format);
            Assert.Equal(item.Width, header.Width);
            Assert.Equal(item.Height, header.Height);
            Assert.InRange(header.Width, 480, 640);
            Assert.InRange(item.TextHeightPx!.Value, 10, 20);
            var box = item.Box!;
            Assert.True(box.X0 >= 0 && box.Y0 >= 0 && box.X1 <= header.Width && box.Y1 <= header.Height, $"box {box} outside {header.Width}×{header.Height}");
            Assert.Single(item.Answers);
        }
    }

    [Fact]
    public void Frames_with_distractors_ask_about_the_answer_sign_by_its_colour()
    {
        using var folder = new TempFolder();
        var items = DatasetGenerator.Generate(folder.Path, Tiny(seed: 5, distractorShare: 1.0));
        Assert.Contains(items, i => i.Distractors > 0);
        foreach (var item in items)
            Assert.Equal(item.Distractors == 0, item.Question == DatasetGenerator.PlainQuestion);
        Assert.All(items.Where(i => i.Distractors > 0), i => Assert.Matches("^What does the (white|green|blue|red|black|brown|teal) sign say\\?$", i.Question));
    }

    [Fact]
    public void The_same_seed_gives_the_same_data_set()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var first = DatasetGenerator.Generate(a.Path, Tiny(seed: 9, distractorShare: 0.5));
        var second = DatasetGenerator.Generate(b.Path, Tiny(seed: 9, distractorShare: 0.5));
        Assert.Equal(File.ReadAllText(Path.Combine(a.Path, DatasetManifest.FileName)), File.ReadAllText(Path.Combine(b.Path, DatasetManifest.FileName)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, first[0].Image)), File.ReadAllBytes(Path.Combine(b.Path, second[0].Image)));
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_setting_named()
    {
        Assert.Contains("--count", new GeneratorSettings(0, 1).Validate());
        Assert.Contains("--photos", new GeneratorSettings(1, 1, "/no/such/folder").Validate());
    }
}

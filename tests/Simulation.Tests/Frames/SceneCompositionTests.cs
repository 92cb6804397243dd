using CollabVlm.Imaging.Tests;
using CollabVlm.Simulation.Frames;
using SkiaSharp;

namespace CollabVlm.Simulation.Tests.Frames;

/// <summary>Backgrounds, photos and distractor signs: the data set generator's additions to the renderer.</summary>
[Collection(FontFolderCollection.Name)]
public sealed class SceneCompositionTests
{
    private static readonly SceneTextRequest Plain = new(800, 600, "PLATFORM 7", 24, Seed: 21);

    [Fact]
    public void Optional_parts_change_the_pixels_but_not_where_the_answer_sign_goes()
    {
        // They draw from a second random stream, so the answer sign (and every older data set) stays put.
        using var plain = SceneTextRenderer.Render(Plain);
        using var textured = SceneTextRenderer.Render(Plain with { Background = SceneBackground.Texture });
        using var busy = SceneTextRenderer.Render(Plain with { Distractors = [new DistractorSign("CAFE", 14)] });
        Assert.Equal(plain.TextBox, textured.TextBox);
        Assert.Equal(plain.TextBox, busy.TextBox);
        Assert.Equal(plain.PlateColour, busy.PlateColour);
        Assert.NotEqual(TestFrames.Rgba(plain.Bitmap), TestFrames.Rgba(textured.Bitmap));
    }

    [Fact]
    public void Distractor_signs_never_overlap_the_answer_sign_or_each_other()
    {
        for (var seed = 0; seed < 6; seed++)
        {
            using var frame = SceneTextRenderer.Render(Plain with { Seed = seed, Distractors = [new DistractorSign("NO ENTRY", 16), new DistractorSign("B-113", 12)] });
            Assert.NotEmpty(frame.DistractorBoxes);
            var boxes = frame.DistractorBoxes.Prepend(frame.TextBox).ToList();
            for (var i = 0; i < boxes.Count; i++)
                for (var j = i + 1; j < boxes.Count; j++)
                    Assert.False(boxes[i].X < boxes[j].Right && boxes[j].X < boxes[i].Right && boxes[i].Y < boxes[j].Bottom && boxes[j].Y < boxes[i].Bottom,
                        $"seed {seed}: {boxes[i]} overlaps {boxes[j]}");
            Assert.Contains(frame.PlateColour, new[] { "white", "green", "blue", "red", "black", "brown", "teal" });
        }
    }

    [Fact]
    public void A_photo_background_fills_the_frame_and_is_required_when_asked_for()
    {
        using var photo = new SKBitmap(new SKImageInfo(200, 100, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        photo.Erase(new SKColor(200, 10, 10));
        using var frame = SceneTextRenderer.Render(Plain with { Background = SceneBackground.Photo, Photo = photo });
        // A corner far from any sign keeps the photo's red under the clutter and noise most of the time; check the mean over a border strip.
        var reds = Enumerable.Range(0, frame.Bitmap.Width).Select(x => frame.Bitmap.GetPixel(x, 2)).ToList();
        Assert.True(reds.Average(c => c.Red) > reds.Average(c => c.Blue) + 60, "the photo's red does not show");

        var error = Assert.Throws<ArgumentException>(() => SceneTextRenderer.Render(Plain with { Background = SceneBackground.Photo }));
        Assert.Contains("photo", error.Message);
    }
}

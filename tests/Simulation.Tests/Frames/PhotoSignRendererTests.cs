using CollabVlm.Imaging;
using CollabVlm.Imaging.Tests;
using CollabVlm.Simulation.Frames;
using SkiaSharp;

namespace CollabVlm.Simulation.Tests.Frames;

[Collection(FontFolderCollection.Name)]
public sealed class PhotoSignRendererTests
{
    /// <summary>A stand-in photograph: a fine checker of two greys with a colour ramp, so a rescale would show.</summary>
    private static SKBitmap Photo(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = (byte)(((x + y) & 1) == 0 ? 90 : 150);
                bitmap.SetPixel(x, y, new SKColor(v, (byte)(x * 255 / width), (byte)(y * 255 / height)));
            }
        return bitmap;
    }

    private static PhotoSignRequest Request(SKBitmap photo, int seed, params PhotoSign[] signs) =>
        new(photo, new PixelRect(40, 30, 640, 480), signs, seed);

    [Fact]
    public void The_frame_is_the_crop_at_the_photos_own_pixels_apart_from_the_signs_and_a_little_noise()
    {
        using var photo = Photo(760, 560);
        using var frame = PhotoSignRenderer.Render(Request(photo, 3, new PhotoSign("EXIT 24", 20)));
        Assert.Equal(640, frame.Bitmap.Width);
        Assert.Equal(480, frame.Bitmap.Height);
        var sign = Assert.Single(frame.Signs).Box;
        var checkedPixels = 0;
        for (var y = 0; y < 480; y += 7)
            for (var x = 0; x < 640; x += 5)
            {
                if (x >= sign.X - 2 && x < sign.Right + 2 && y >= sign.Y - 2 && y < sign.Bottom + 2) continue;
                var expected = photo.GetPixel(x + 40, y + 30);
                var actual = frame.Bitmap.GetPixel(x, y);
                Assert.InRange(actual.Red - expected.Red, -3, 3);
                Assert.InRange(actual.Green - expected.Green, -3, 3);
                checkedPixels++;
            }
        Assert.True(checkedPixels > 5000);
    }

    [Fact]
    public void Signs_land_inside_the_frame_apart_at_about_the_asked_cap_height_with_the_answers_colour_unique()
    {
        using var photo = Photo(760, 560);
        for (var seed = 0; seed < 6; seed++)
        {
            using var frame = PhotoSignRenderer.Render(Request(photo, seed, new PhotoSign("GATE 7", 18), new PhotoSign("BUS", 14), new PhotoSign("CAFE", 12)));
            Assert.Equal("GATE 7", frame.Signs[0].Text);
            Assert.InRange(frame.Signs[0].TextHeightPx, 18 * 0.85, 18 * 1.15);
            foreach (var s in frame.Signs)
            {
                Assert.True(s.Box.X >= 0 && s.Box.Y >= 0 && s.Box.Right <= 640 && s.Box.Bottom <= 480, $"{s.Box} outside the frame");
                Assert.True(s == frame.Signs[0] || s.Colour != frame.Signs[0].Colour, "a distractor shares the answer's colour name");
            }
            for (var i = 0; i < frame.Signs.Count; i++)
                for (var j = i + 1; j < frame.Signs.Count; j++)
                {
                    var (a, b) = (frame.Signs[i].Box, frame.Signs[j].Box);
                    Assert.False(a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom, $"signs {a} and {b} overlap");
                }
        }
    }

    [Fact]
    public void Same_request_same_pixels()
    {
        using var photo = Photo(760, 560);
        using var first = PhotoSignRenderer.Render(Request(photo, 9, new PhotoSign("OPEN", 16)));
        using var second = PhotoSignRenderer.Render(Request(photo, 9, new PhotoSign("OPEN", 16)));
        Assert.Equal(first.Signs, second.Signs);
        Assert.Equal(TestFrames.Rgba(first.Bitmap), TestFrames.Rgba(second.Bitmap));
    }

    [Fact]
    public void A_crop_outside_the_photo_or_an_answer_without_room_is_refused_with_the_reason()
    {
        using var photo = Photo(200, 200);
        var outside = Assert.Throws<ArgumentException>(() => PhotoSignRenderer.Render(new PhotoSignRequest(photo, new PixelRect(100, 100, 150, 150), [new PhotoSign("A", 10)], 1)));
        Assert.Contains("inside the 200×200 photo", outside.Message);
        var noRoom = Assert.Throws<ArgumentException>(() => PhotoSignRenderer.Render(new PhotoSignRequest(photo, new PixelRect(0, 0, 200, 200), [new PhotoSign("PHARMACY FLOOR", 60)], 1)));
        Assert.Contains("found no room", noRoom.Message);
    }

    [Fact]
    public void The_perspective_matrix_takes_the_plate_corners_to_the_quad()
    {
        SKPoint[] quad = [new(10, 20), new(110, 25), new(105, 60), new(12, 52)];
        var m = PhotoSignRenderer.QuadMatrix(50, 20, quad);
        SKPoint[] corners = [new(0, 0), new(50, 0), new(50, 20), new(0, 20)];
        for (var i = 0; i < 4; i++)
        {
            var p = m.MapPoint(corners[i]);
            Assert.Equal(quad[i].X, p.X, 3);
            Assert.Equal(quad[i].Y, p.Y, 3);
        }
    }
}

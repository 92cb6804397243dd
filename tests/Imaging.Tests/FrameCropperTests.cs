using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Imaging.Tests;

public sealed class FrameCropperTests
{
    [Fact]
    public void ToPixels_floors_the_start_and_ceils_the_end()
    {
        var rect = FrameCropper.ToPixels(new NormalizedBox(0.101, 0.25, 0.499, 0.751), 1000, 400);

        Assert.Equal(new PixelRect(101, 100, 499 - 101, 301 - 100), rect);
    }

    [Fact]
    public void ToPixels_of_the_whole_frame_is_the_whole_frame()
    {
        Assert.Equal(new PixelRect(0, 0, 640, 480), FrameCropper.ToPixels(new NormalizedBox(0, 0, 1, 1), 640, 480));
    }

    [Fact]
    public void ToPixels_gives_at_least_one_pixel_even_at_the_far_edge()
    {
        var tiny = FrameCropper.ToPixels(new NormalizedBox(0.5, 0.5, 0.5000001, 0.5000001), 10, 10);
        var atEdge = FrameCropper.ToPixels(new NormalizedBox(0.9999999, 0.9999999, 1, 1), 10, 10);

        Assert.Equal(new PixelRect(5, 5, 1, 1), tiny);
        Assert.Equal(new PixelRect(9, 9, 1, 1), atEdge);
    }

    [Theory]
    [InlineData(-0.1, 0, 0.5, 0.5, "outside [0,1]")]
    [InlineData(0, 0, 1.2, 0.5, "outside [0,1]")]
    [InlineData(0.3, 0.3, 0.3, 0.6, "zero area")]
    [InlineData(0.5, 0.6, 0.7, 0.2, "zero area")]
    [InlineData(double.NaN, 0, 1, 1, "not a finite number")]
    public void ToPixels_rejects_invalid_boxes_with_the_boxs_own_message(double x0, double y0, double x1, double y1, string expected)
    {
        var box = new NormalizedBox(x0, y0, x1, y1);

        var error = Assert.Throws<ArgumentException>(() => FrameCropper.ToPixels(box, 100, 100));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith(box.Validate()!, error.Message);
    }

    [Fact]
    public void Crop_returns_exactly_the_requested_region()
    {
        // A red square at x 60..79, y 30..49 on blue; the box covers it exactly.
        using var frame = TestFrames.FromPixels(200, 100, (x, y) =>
            x is >= 60 and < 80 && y is >= 30 and < 50 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255));

        using var crop = FrameCropper.Crop(frame, new NormalizedBox(0.3, 0.3, 0.4, 0.5));

        Assert.Equal((20, 20), (crop.Width, crop.Height));
        Assert.Equal(frame.AlphaType, crop.AlphaType);
        var rgba = TestFrames.Rgba(crop);
        for (var y = 0; y < 20; y++)
            for (var x = 0; x < 20; x++)
                Assert.Equal(((byte)255, (byte)0, (byte)0), TestFrames.At(rgba, 20, x, y));
    }

    [Fact]
    public void Crop_around_a_square_keeps_its_position_inside_the_crop()
    {
        using var frame = TestFrames.FromPixels(200, 100, (x, y) =>
            x is >= 60 and < 80 && y is >= 30 and < 50 ? ((byte)0, (byte)255, (byte)0) : ((byte)50, (byte)50, (byte)50));

        using var crop = FrameCropper.Crop(frame, new NormalizedBox(0.25, 0.2, 0.5, 0.6)); // x 50..99, y 20..59

        Assert.Equal((50, 40), (crop.Width, crop.Height));
        var rgba = TestFrames.Rgba(crop);
        Assert.Equal(((byte)0, (byte)255, (byte)0), TestFrames.At(rgba, 50, 10, 10));   // frame (60,30)
        Assert.Equal(((byte)0, (byte)255, (byte)0), TestFrames.At(rgba, 50, 29, 29));   // frame (79,49)
        Assert.Equal(((byte)50, (byte)50, (byte)50), TestFrames.At(rgba, 50, 9, 10));   // frame (59,30)
        Assert.Equal(((byte)50, (byte)50, (byte)50), TestFrames.At(rgba, 50, 30, 30));  // frame (80,50)
    }

    [Fact]
    public void Crop_survives_disposing_the_frame()
    {
        var frame = TestFrames.FromPixels(40, 40, (x, y) => (7, 8, 9));
        using var crop = FrameCropper.Crop(frame, new NormalizedBox(0, 0, 0.5, 0.5));
        frame.Dispose();

        Assert.Equal(((byte)7, (byte)8, (byte)9), TestFrames.At(TestFrames.Rgba(crop), 20, 5, 5));
    }

    [Fact]
    public void CropToJpeg_keeps_small_crops_at_full_resolution()
    {
        using var frame = TestFrames.PhotoLike(2000, 1000);

        var image = FrameCropper.CropToJpeg(frame, new NormalizedBox(0.1, 0.1, 0.3, 0.5), maxLongSide: 768, quality: 85);

        Assert.Equal((400, 400, 85), (image.Width, image.Height, image.Quality));
        Assert.Equal(new ImageHeader(ImageFormatKind.Jpeg, 400, 400), SafeImageDecoder.ReadHeader(image.Bytes));
    }

    [Fact]
    public void CropToJpeg_downscales_crops_longer_than_the_limit()
    {
        using var frame = TestFrames.PhotoLike(2000, 1000);

        var image = FrameCropper.CropToJpeg(frame, new NormalizedBox(0, 0, 0.8, 0.5), maxLongSide: 800, quality: 85);

        Assert.Equal((800, 250), (image.Width, image.Height));
    }
}

using SkiaSharp;

namespace CollabVlm.Imaging.Tests;

public sealed class GlobalImageMakerTests
{
    [Theory]
    [InlineData(2048, 1536, 768, 768, 576)]
    [InlineData(1536, 2048, 768, 576, 768)]
    [InlineData(1000, 333, 500, 500, 167)]
    [InlineData(4000, 10, 100, 100, 1)]
    public void Resize_keeps_aspect_with_the_long_side_at_the_target(int width, int height, int longSide, int expectedWidth, int expectedHeight)
    {
        using var frame = TestFrames.FromPixels(width, height, (x, y) => (10, 20, 30));

        using var resized = GlobalImageMaker.Resize(frame, longSide);

        Assert.Equal((expectedWidth, expectedHeight), (resized.Width, resized.Height));
        Assert.Equal(frame.ColorType, resized.ColorType);
        Assert.Equal(frame.AlphaType, resized.AlphaType);
    }

    [Fact]
    public void Resize_never_upscales_and_returns_an_independent_copy()
    {
        using var frame = TestFrames.FromPixels(300, 200, (x, y) => ((byte)x, (byte)y, 0));

        using var same = GlobalImageMaker.Resize(frame, 768);

        Assert.Equal((300, 200), (same.Width, same.Height));
        Assert.NotSame(frame, same);
        Assert.Equal(TestFrames.Rgba(frame), TestFrames.Rgba(same));
    }

    [Fact]
    public void Downscaling_fine_stripes_does_not_alias()
    {
        // One-pixel black/white stripes have no representable detail at 768 px: a good filter
        // gives flat grey, a point-sampling one gives bold false stripes (moiré).
        using var frame = TestFrames.FromPixels(2048, 1536, (x, y) => x % 2 == 0 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));

        using var resized = GlobalImageMaker.Resize(frame, 768);

        var rgba = TestFrames.Rgba(resized);
        var row = Enumerable.Range(2, resized.Width - 4).Select(x => (double)TestFrames.At(rgba, resized.Width, x, 300).R).ToArray();
        var mean = row.Average();
        var deviation = Math.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 110, 145);
        Assert.True(deviation < 12, $"resized stripes vary by σ={deviation:0.0} grey levels: aliasing");
    }

    [Fact]
    public void Resize_of_a_decoded_jpeg_works()
    {
        using var frame = TestFrames.PhotoLike(1024, 768);
        using var decoded = SafeImageDecoder.Decode(JpegEncoder.Encode(frame, 90).Bytes);

        using var resized = GlobalImageMaker.Resize(decoded, 336);

        Assert.Equal((336, 252), (resized.Width, resized.Height));
        Assert.Equal(SKAlphaType.Unpremul, resized.AlphaType);
    }

    [Fact]
    public void Make_resizes_and_encodes()
    {
        using var frame = TestFrames.PhotoLike(1000, 500);

        var image = GlobalImageMaker.Make(frame, 400, 85);

        Assert.Equal((400, 200, 85), (image.Width, image.Height, image.Quality));
        Assert.Equal(new ImageHeader(ImageFormatKind.Jpeg, 400, 200), SafeImageDecoder.ReadHeader(image.Bytes));
    }

    [Fact]
    public void MakeWithin_keeps_the_quality_when_it_fits()
    {
        using var frame = TestFrames.PhotoLike(640, 480);

        var image = GlobalImageMaker.MakeWithin(frame, 320, 90, maxBytes: 10_000_000);

        Assert.Equal(90, image.Quality);
    }

    [Fact]
    public void MakeWithin_lowers_the_quality_until_the_bytes_fit()
    {
        using var frame = TestFrames.PhotoLike(640, 480);
        using var resized = GlobalImageMaker.Resize(frame, 320);
        var at90 = JpegEncoder.Encode(resized, 90).Bytes.Length;
        var at60 = JpegEncoder.Encode(resized, 60).Bytes.Length;
        var at70 = JpegEncoder.Encode(resized, 70).Bytes.Length;
        Assert.True(at60 < at70 && at70 < at90);

        var image = GlobalImageMaker.MakeWithin(frame, 320, 90, maxBytes: at60);

        Assert.Equal(60, image.Quality);
        Assert.True(image.Bytes.Length <= at60);
        Assert.Equal((320, 240), (image.Width, image.Height));
    }

    [Fact]
    public void MakeWithin_ends_at_the_minimum_quality()
    {
        using var frame = TestFrames.PhotoLike(640, 480);
        using var resized = GlobalImageMaker.Resize(frame, 320);
        var atMin = JpegEncoder.Encode(resized, 25).Bytes.Length;

        var image = GlobalImageMaker.MakeWithin(frame, 320, 90, maxBytes: atMin, minQuality: 25);

        Assert.Equal(25, image.Quality);
    }

    [Fact]
    public void MakeWithin_throws_naming_the_sizes_when_even_the_minimum_does_not_fit()
    {
        using var frame = TestFrames.PhotoLike(640, 480);

        var error = Assert.Throws<GlobalImageTooLargeException>(() => GlobalImageMaker.MakeWithin(frame, 320, 90, maxBytes: 100));

        Assert.Contains("320×240", error.Message);
        Assert.Contains("quality 30", error.Message);
        Assert.Contains("100 bytes", error.Message);
    }
}

namespace CollabVlm.Imaging.Tests;

public sealed class JpegEncoderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public void Quality_outside_1_to_100_is_rejected(int quality)
    {
        using var frame = TestFrames.FromPixels(8, 8, (x, y) => (0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(frame, quality));
    }

    [Fact]
    public void Result_carries_size_quality_and_jpeg_magic()
    {
        using var frame = TestFrames.PhotoLike(40, 30);

        var encoded = JpegEncoder.Encode(frame, 77);

        Assert.Equal((40, 30, 77), (encoded.Width, encoded.Height, encoded.Quality));
        Assert.Equal([0xFF, 0xD8, 0xFF], encoded.Bytes[..3]);
    }

    [Fact]
    public void Lower_quality_gives_fewer_bytes()
    {
        using var frame = TestFrames.PhotoLike(256, 256);
        Assert.True(JpegEncoder.Encode(frame, 40).Bytes.Length < JpegEncoder.Encode(frame, 90).Bytes.Length);
    }
}

using SkiaSharp;

namespace CollabVlm.Imaging.Tests;

public sealed class SafeImageDecoderTests
{
    [Fact]
    public void Crc32_matches_the_published_check_value()
    {
        Assert.Equal(0xCBF43926u, CraftedPng.Crc32("123456789"u8));
    }

    [Fact]
    public void Jpeg_header_and_pixels_round_trip()
    {
        using var source = TestFrames.FromPixels(64, 48, (x, y) => (200, 40, 40));
        var jpeg = JpegEncoder.Encode(source, 95).Bytes;

        Assert.Equal(new ImageHeader(ImageFormatKind.Jpeg, 64, 48), SafeImageDecoder.ReadHeader(jpeg));

        using var decoded = SafeImageDecoder.Decode(jpeg);
        Assert.Equal(SKColorType.Rgba8888, decoded.ColorType);
        Assert.Equal(SKAlphaType.Unpremul, decoded.AlphaType);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        var (r, g, b) = TestFrames.At(TestFrames.Rgba(decoded), 64, 32, 24);
        Assert.InRange(r, 190, 210);
        Assert.InRange(g, 30, 50);
        Assert.InRange(b, 30, 50);
    }

    [Fact]
    public void Png_header_and_pixels_round_trip_exactly()
    {
        using var source = TestFrames.FromPixels(30, 20, (x, y) => ((byte)(x * 8), (byte)(y * 12), 7));
        var png = TestFrames.EncodePng(source);

        Assert.Equal(new ImageHeader(ImageFormatKind.Png, 30, 20), SafeImageDecoder.ReadHeader(png));

        using var decoded = SafeImageDecoder.Decode(png);
        Assert.Equal(SKAlphaType.Unpremul, decoded.AlphaType);
        Assert.Equal(TestFrames.Rgba(source), TestFrames.Rgba(decoded));
    }

    [Fact]
    public void Png_claiming_ten_gigapixels_is_refused_before_decoding()
    {
        // Header only, no IDAT: if anything tried to decode it would fail as Corrupt, not TooLarge.
        var bomb = CraftedPng.HeaderOnly(100_000, 100_000);

        var fromHeader = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.ReadHeader(bomb));
        var fromDecode = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(bomb));

        Assert.Equal(ImageErrorKind.TooLarge, fromHeader.Kind);
        Assert.Equal(ImageErrorKind.TooLarge, fromDecode.Kind);
        Assert.Contains("100000×100000 = 10000000000 pixels", fromHeader.Message);
        Assert.Contains("50000000", fromHeader.Message);
    }

    [Fact]
    public void Crafted_png_with_image_data_decodes_so_the_crafting_is_sound()
    {
        // Proves the hand-built chunks and CRCs are right, so the bomb test fails for its size alone.
        var png = CraftedPng.Solid(3, 2, red: 10, green: 20, blue: 30);

        Assert.Equal(new ImageHeader(ImageFormatKind.Png, 3, 2), SafeImageDecoder.ReadHeader(png));
        using var decoded = SafeImageDecoder.Decode(png);
        Assert.Equal(((byte)10, (byte)20, (byte)30), TestFrames.At(TestFrames.Rgba(decoded), 3, 2, 1));
    }

    [Fact]
    public void Png_bomb_with_image_data_is_still_refused_from_its_header()
    {
        // Same 3×2 data, but the header claims 10 gigapixels: refused before decoding.
        var bomb = CraftedPng.Solid(3, 2, 1, 2, 3, claimedWidth: 100_000, claimedHeight: 100_000);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(bomb));

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
    }

    [Fact]
    public void Png_header_without_image_data_is_corrupt()
    {
        // Skia's PNG codec reads up to the first IDAT when it is created, so a header alone fails there.
        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.ReadHeader(CraftedPng.HeaderOnly(100, 100)));

        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
    }

    [Fact]
    public void Jpeg_over_a_custom_limit_is_too_large()
    {
        using var source = TestFrames.FromPixels(100, 100, (x, y) => (1, 2, 3));
        var jpeg = JpegEncoder.Encode(source, 80).Bytes;

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(jpeg, new ImageLimits(MaxPixels: 9_999)));

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
        Assert.Contains("JPEG header claims 100×100 = 10000 pixels, over the limit of 9999", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(new byte[0])]
    public void Empty_input_is_empty(byte[]? bytes)
    {
        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(bytes!));
        Assert.Equal(ImageErrorKind.Empty, error.Kind);
    }

    [Fact]
    public void Garbage_is_unsupported()
    {
        var garbage = new byte[1000];
        new Random(5).NextBytes(garbage);
        garbage[0] = 0x12;

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(garbage));

        Assert.Equal(ImageErrorKind.UnsupportedFormat, error.Kind);
        Assert.Contains("unknown format", error.Message);
    }

    [Theory]
    [InlineData("GIF89a", "GIF")]
    [InlineData("GIF87a", "GIF")]
    [InlineData("BM", "BMP")]
    public void Other_image_formats_are_unsupported_and_named(string magic, string expectedName)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(magic).Concat(new byte[64]).ToArray();

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.ReadHeader(bytes));

        Assert.Equal(ImageErrorKind.UnsupportedFormat, error.Kind);
        Assert.Contains(expectedName, error.Message);
    }

    [Fact]
    public void Webp_encoding_is_unsupported_and_named()
    {
        using var source = TestFrames.FromPixels(16, 16, (x, y) => (9, 9, 9));
        using var webp = source.Encode(SKEncodedImageFormat.Webp, 80);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(webp.ToArray()));

        Assert.Equal(ImageErrorKind.UnsupportedFormat, error.Kind);
        Assert.Contains("WebP", error.Message);
    }

    [Fact]
    public void Jpeg_truncated_to_half_is_corrupt_not_a_half_image()
    {
        using var source = TestFrames.PhotoLike(256, 192);
        var jpeg = JpegEncoder.Encode(source, 90).Bytes;
        var half = jpeg[..(jpeg.Length / 2)];

        // The header survives truncation, so the size can still be read...
        Assert.Equal(new ImageHeader(ImageFormatKind.Jpeg, 256, 192), SafeImageDecoder.ReadHeader(half));
        // ...but the pixels must not be accepted.
        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(half));
        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Png_truncated_to_half_is_corrupt()
    {
        using var source = TestFrames.PhotoLike(128, 96);
        var png = TestFrames.EncodePng(source);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(png[..(png.Length / 2)]));

        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_corrupt()
    {
        using var source = TestFrames.PhotoLike(64, 64);
        var jpeg = JpegEncoder.Encode(source, 90).Bytes;

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.ReadHeader(jpeg[..20]));

        Assert.Equal(ImageErrorKind.Corrupt, error.Kind);
    }

    [Fact]
    public void Jpeg_with_scrambled_middle_bytes_still_decodes_to_the_full_size()
    {
        // Observed behaviour, pinned so a change is noticed: libjpeg-turbo (inside Skia) resyncs
        // past damaged entropy-coded data and Skia reports Success, so a scrambled middle gives a
        // full-size image with garbled blocks, not an error. Only a transport checksum can catch it.
        using var source = TestFrames.PhotoLike(256, 192);
        var jpeg = JpegEncoder.Encode(source, 90).Bytes;
        using var intact = SafeImageDecoder.Decode(jpeg);
        var rng = new Random(11);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var damaged = (byte[])jpeg.Clone();
            var start = damaged.Length / 3;
            for (var i = start; i < start + 200; i++)
                damaged[i] = (byte)rng.Next(256);

            using var decoded = SafeImageDecoder.Decode(damaged);

            Assert.Equal((256, 192), (decoded.Width, decoded.Height));
            Assert.NotEqual(TestFrames.Rgba(intact), TestFrames.Rgba(decoded));
        }
    }
}

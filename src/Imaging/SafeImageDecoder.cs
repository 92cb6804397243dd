using System.Globalization;
using SkiaSharp;

namespace CollabVlm.Imaging;

/// <summary>
/// Decodes untrusted JPEG/PNG bytes. The format is decided from the magic bytes (never from what a
/// sender claims), and the header's dimensions are checked against <see cref="ImageLimits"/> before
/// a single pixel buffer is allocated.
/// </summary>
public static class SafeImageDecoder
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Format and size from the header alone; throws <see cref="ImageDecodeException"/> if unacceptable.</summary>
    public static ImageHeader ReadHeader(byte[] bytes, ImageLimits? limits = null)
    {
        using var codec = OpenCodec(bytes, limits ?? ImageLimits.Default, out var header);
        return header;
    }

    /// <summary>
    /// Fully decodes into a new RGBA8888, unpremultiplied bitmap (callers read the bytes as RGBA).
    /// Any incomplete or damaged input is an error: a silently half-grey frame would make the
    /// model answer about pixels that were never sent.
    /// </summary>
    public static SKBitmap Decode(byte[] bytes, ImageLimits? limits = null)
    {
        using var codec = OpenCodec(bytes, limits ?? ImageLimits.Default, out var header);
        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap();
        try
        {
            if (!bitmap.TryAllocPixels(info))
                throw new ImageDecodeException(ImageErrorKind.TooLarge, Invariant(
                    $"could not allocate {header.Width}×{header.Height} pixels for the decoded {Name(header.Format)}"));

            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
                throw new ImageDecodeException(ImageErrorKind.Corrupt, Invariant(
                    $"{Name(header.Format)} data of {bytes.Length} bytes did not decode fully ({Describe(result)})"));

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static SKCodec OpenCodec(byte[] bytes, ImageLimits limits, out ImageHeader header)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (bytes is null || bytes.Length == 0)
            throw new ImageDecodeException(ImageErrorKind.Empty, "the image is empty (0 bytes)");

        var format = DetectFormat(bytes);

        // PNG keeps its size at a fixed offset, so we can refuse a bomb before Skia parses anything.
        if (format == ImageFormatKind.Png && bytes.Length >= 24 && bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            var claimedWidth = ReadBigEndianUInt32(bytes, 16);
            var claimedHeight = ReadBigEndianUInt32(bytes, 20);
            CheckLimit(format, claimedWidth, claimedHeight, limits);
        }

        var codec = CreateCodec(bytes, format);
        try
        {
            var actual = codec.EncodedFormat switch
            {
                SKEncodedImageFormat.Jpeg => ImageFormatKind.Jpeg,
                SKEncodedImageFormat.Png => ImageFormatKind.Png,
                var other => throw new ImageDecodeException(ImageErrorKind.UnsupportedFormat,
                    $"the bytes start like {Name(format)} but decode as {other}"),
            };
            if (actual != format)
                throw new ImageDecodeException(ImageErrorKind.Corrupt,
                    $"the bytes start like {Name(format)} but decode as {Name(actual)}");

            var width = codec.Info.Width;
            var height = codec.Info.Height;
            if (width <= 0 || height <= 0)
                throw new ImageDecodeException(ImageErrorKind.Corrupt, Invariant(
                    $"{Name(format)} header gives an empty size {width}×{height}"));
            CheckLimit(format, width, height, limits);

            header = new ImageHeader(format, width, height);
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    private static SKCodec CreateCodec(byte[] bytes, ImageFormatKind format)
    {
        // SKCodec.Create only parses the header; pixels are decoded later by GetPixels.
        using var data = SKData.CreateCopy(bytes);
        var codec = SKCodec.Create(data);
        return codec ?? throw new ImageDecodeException(ImageErrorKind.Corrupt, Invariant(
            $"{Name(format)} header in {bytes.Length} bytes could not be read"));
    }

    private static ImageFormatKind DetectFormat(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
            return ImageFormatKind.Jpeg;
        if (bytes.AsSpan().StartsWith(PngSignature))
            return ImageFormatKind.Png;

        throw new ImageDecodeException(ImageErrorKind.UnsupportedFormat,
            $"only JPEG and PNG are accepted; these {bytes.Length} bytes look like {GuessFormat(bytes)}");
    }

    /// <summary>A best-effort name for refused input, so the error tells the sender what they sent.</summary>
    private static string GuessFormat(byte[] bytes)
    {
        var span = bytes.AsSpan();
        static bool At(ReadOnlySpan<byte> s, int offset, string ascii) =>
            s.Length >= offset + ascii.Length && s.Slice(offset, ascii.Length).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(ascii));

        if (At(span, 0, "GIF87a") || At(span, 0, "GIF89a")) return "GIF";
        if (At(span, 0, "BM")) return "BMP";
        if (At(span, 0, "RIFF") && At(span, 8, "WEBP")) return "WebP";
        if (At(span, 0, "II*\0") || At(span, 0, "MM\0*")) return "TIFF";
        if (At(span, 4, "ftypavif")) return "AVIF";
        if (At(span, 4, "ftypheic") || At(span, 4, "ftypheix") || At(span, 4, "ftypmif1")) return "HEIF";
        if (At(span, 4, "ftyp")) return "an ISO media file (MP4/HEIF family)";
        if (At(span, 0, "%PDF")) return "PDF";
        if (At(span, 0, "PK\x03\x04")) return "a ZIP archive";
        if (span.Length >= 4 && span[0] == 0 && span[1] == 0 && span[2] == 1 && span[3] == 0) return "ICO";
        if (span.Length >= 2 && span[0] == 0xFF && span[1] == 0xD8) return "a damaged JPEG (SOI without a marker after it)";

        var prefix = Convert.ToHexString(span[..Math.Min(8, span.Length)]);
        return $"an unknown format (first bytes {prefix})";
    }

    private static void CheckLimit(ImageFormatKind format, long width, long height, ImageLimits limits)
    {
        var pixels = width * height;
        if (pixels > limits.MaxPixels)
            throw new ImageDecodeException(ImageErrorKind.TooLarge, Invariant(
                $"{Name(format)} header claims {width}×{height} = {pixels} pixels, over the limit of {limits.MaxPixels}"));
    }

    private static long ReadBigEndianUInt32(byte[] bytes, int offset) =>
        ((long)bytes[offset] << 24) | ((long)bytes[offset + 1] << 16) | ((long)bytes[offset + 2] << 8) | bytes[offset + 3];

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early: it looks truncated",
        SKCodecResult.ErrorInInput => "the data is damaged",
        SKCodecResult.InvalidInput => "the data is invalid",
        _ => $"codec result {result}",
    };

    private static string Name(ImageFormatKind format) => format == ImageFormatKind.Jpeg ? "JPEG" : "PNG";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

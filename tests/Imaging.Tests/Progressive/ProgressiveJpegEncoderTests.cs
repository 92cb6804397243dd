using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Imaging.Tests.Progressive;

public sealed class ProgressiveJpegEncoderTests
{
    [Fact]
    public void Writes_a_progressive_frame_whose_scans_follow_the_text_first_script()
    {
        using var bitmap = TestFrames.PhotoLike(120, 90);

        var jpeg = ProgressiveJpegEncoder.Encode(bitmap, 80);

        Assert.Equal((120, 90, 80), (jpeg.Width, jpeg.Height, jpeg.Quality));
        Assert.Contains(Markers(jpeg.Bytes), m => m.Marker == 0xC2); // SOF2: progressive DCT
        var scans = ScanHeaders(jpeg.Bytes);
        Assert.Equal(ProgressiveScanScripts.TextFirst.Select(s => s.ToString()), scans.Select(s => s.ToString()));
        Assert.Equal(scans.Count, jpeg.ScanCount);
    }

    [Fact]
    public void Every_script_offered_for_comparison_is_valid_and_written_as_given()
    {
        using var bitmap = TestFrames.PhotoLike(40, 30);
        foreach (var (name, script) in ProgressiveScanScripts.All)
        {
            var jpeg = ProgressiveJpegEncoder.Encode(bitmap, 75, script);
            Assert.True(script.Select(s => s.ToString()).SequenceEqual(ScanHeaders(jpeg.Bytes).Select(s => s.ToString())), name);
        }
    }

    [Fact]
    public void Header_ends_at_the_frame_header_and_each_scan_unit_starts_with_its_tables()
    {
        using var bitmap = TestFrames.PhotoLike(64, 48);

        var jpeg = ProgressiveJpegEncoder.Encode(bitmap, 70);

        var markers = Markers(jpeg.Bytes);
        var frameHeader = markers.Single(m => m.Marker == 0xC2);
        Assert.Equal(frameHeader.Offset + 2 + frameHeader.Length, jpeg.HeaderLength);
        var unitStarts = new[] { jpeg.HeaderLength }.Concat(jpeg.ScanEnds.SkipLast(1)).ToArray();
        foreach (var start in unitStarts)
        {
            // Each unit opens with a marker segment (DHT or SOS), never mid-way through entropy data.
            Assert.Equal(0xFF, jpeg.Bytes[start]);
            Assert.Contains(jpeg.Bytes[start + 1], new byte[] { 0xC4, 0xDA, 0xDB });
        }

        Assert.Equal(jpeg.Bytes.Length - 2, jpeg.ScanEnds[^1]);
    }

    [Fact]
    public void Alpha_and_colour_type_do_not_matter_only_the_colours()
    {
        using var opaque = TestFrames.PhotoLike(50, 40);
        using var bgra = new SKBitmap(new SKImageInfo(50, 40, SKColorType.Bgra8888, SKAlphaType.Premul));
        Assert.True(opaque.CopyTo(bgra, SKColorType.Bgra8888));

        Assert.Equal(ProgressiveJpegEncoder.Encode(opaque, 85).Bytes, ProgressiveJpegEncoder.Encode(bgra, 85).Bytes);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_what_was_wrong()
    {
        using var bitmap = TestFrames.PhotoLike(16, 16);

        Assert.Throws<ArgumentOutOfRangeException>(() => ProgressiveJpegEncoder.Encode(bitmap, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProgressiveJpegEncoder.Encode(bitmap, 101));
        Assert.Throws<ArgumentException>(() => ProgressiveJpegEncoder.Encode(bitmap, 80, []));
        var badComponent = Assert.Throws<ArgumentException>(() => ProgressiveJpegEncoder.Encode(bitmap, 80, [new ProgressiveScan([0, 3], 0, 0, 0, 0)]));
        Assert.Contains("components", badComponent.Message);
        // AC before DC breaks T.81's ordering rules; libjpeg's script validation must catch it.
        Assert.ThrowsAny<Exception>(() => ProgressiveJpegEncoder.Encode(bitmap, 80, [ProgressiveScan.Ac(0, 1, 63, 0, 0)]));
    }

    [Fact]
    public void Progressive_crop_cuts_the_box_and_downscales_only_past_the_long_side()
    {
        using var frame = TestFrames.PhotoLike(400, 300);
        var box = new NormalizedBox(0.25, 0.2, 0.75, 0.8); // 200×180 pixels

        var small = ProgressiveCrop.Make(frame, box, maxLongSide: 100, quality: 70);
        var whole = ProgressiveCrop.Make(frame, box, maxLongSide: 1280, quality: 70);

        Assert.Equal((100, 90), (small.Width, small.Height));
        Assert.Equal((200, 180), (whole.Width, whole.Height));
        using var decoded = SafeImageDecoder.Decode(whole.Bytes);
        using var crop = FrameCropper.Crop(frame, box);
        Assert.True(PeakSignalToNoise.Compute(crop, decoded) > 30, "the crop's JPEG should look like the crop");
    }

    internal static List<(int Offset, byte Marker, int Length)> Markers(byte[] bytes)
    {
        var markers = new List<(int, byte, int)>();
        var pos = 2;
        while (pos + 1 < bytes.Length)
        {
            var marker = bytes[pos + 1];
            if (marker == 0xD9)
                break;
            var length = (bytes[pos + 2] << 8) | bytes[pos + 3];
            markers.Add((pos, marker, length));
            pos += 2 + length;
            if (marker != 0xDA)
                continue;
            while (!(bytes[pos] == 0xFF && bytes[pos + 1] != 0x00 && bytes[pos + 1] is < 0xD0 or > 0xD7))
                pos++;
        }

        return markers;
    }

    private static List<ProgressiveScan> ScanHeaders(byte[] bytes) =>
        Markers(bytes).Where(m => m.Marker == 0xDA).Select(m =>
        {
            var p = m.Offset + 4;
            var count = bytes[p];
            // Component ids in libjpeg's YCbCr frames are 1, 2, 3.
            var components = Enumerable.Range(0, count).Select(i => bytes[p + 1 + 2 * i] - 1).ToArray();
            var q = p + 1 + 2 * count;
            return new ProgressiveScan(components, bytes[q], bytes[q + 1], bytes[q + 2] >> 4, bytes[q + 2] & 0x0F);
        }).ToList();
}

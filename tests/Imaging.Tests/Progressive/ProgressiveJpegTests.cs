using CollabVlm.Imaging.Progressive;

namespace CollabVlm.Imaging.Tests.Progressive;

public sealed class ProgressiveJpegTests
{
    private static readonly ProgressiveJpeg Jpeg = Encode();

    private static ProgressiveJpeg Encode()
    {
        using var bitmap = TestFrames.PhotoLike(96, 64);
        return ProgressiveJpegEncoder.Encode(bitmap, 80);
    }

    [Fact]
    public void Prefix_is_header_and_scans_closed_with_EOI_and_the_last_is_the_file()
    {
        var first = Jpeg.Prefix(1);

        Assert.Equal(Jpeg.ScanEnds[0] + 2, first.Length);
        Assert.Equal(Jpeg.Bytes.AsSpan(0, Jpeg.ScanEnds[0]).ToArray(), first[..^2]);
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, first[^2..]);
        Assert.Equal(Jpeg.Bytes, Jpeg.Prefix(Jpeg.ScanCount));
        Assert.True(Jpeg.ScanEnds.Zip(Jpeg.ScanEnds.Skip(1)).All(p => p.First < p.Second), "scan ends must increase");
        Assert.True(Jpeg.HeaderLength < Jpeg.ScanEnds[0]);
    }

    [Fact]
    public void Layers_cover_the_file_and_fewer_scans_give_a_prefix_without_EOI()
    {
        var all = Jpeg.SplitIntoLayers([1, 3, Jpeg.ScanCount - 4]);
        var part = Jpeg.SplitIntoLayers([2, 2]);

        Assert.Equal(Jpeg.Bytes, all.SelectMany(l => l).ToArray());
        Assert.Equal(Jpeg.ScanEnds[0], all[0].Length);
        Assert.Equal(Jpeg.Bytes.AsSpan(0, Jpeg.ScanEnds[3]).ToArray(), part.SelectMany(l => l).ToArray());
    }

    [Fact]
    public void Bad_layer_splits_and_prefixes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Jpeg.SplitIntoLayers([]));
        Assert.Throws<ArgumentException>(() => Jpeg.SplitIntoLayers([2, 0, 1]));
        var tooMany = Assert.Throws<ArgumentException>(() => Jpeg.SplitIntoLayers([Jpeg.ScanCount, 1]));
        Assert.Contains($"has {Jpeg.ScanCount}", tooMany.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg.Prefix(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg.Prefix(Jpeg.ScanCount + 1));
    }

    [Fact]
    public void Indexing_refuses_bytes_that_are_not_a_complete_JPEG()
    {
        Assert.Throws<ArgumentException>(() => ProgressiveJpeg.FromBytes([0x89, 0x50, 0x4E, 0x47], 80));
        Assert.Throws<ArgumentException>(() => ProgressiveJpeg.FromBytes(Jpeg.Bytes[..^2], 80));
        Assert.Throws<ArgumentException>(() => ProgressiveJpeg.FromBytes(Jpeg.Bytes[..Jpeg.HeaderLength], 80));
        var again = ProgressiveJpeg.FromBytes(Jpeg.Bytes, 80);
        Assert.Equal(Jpeg.ScanEnds, again.ScanEnds);
    }
}

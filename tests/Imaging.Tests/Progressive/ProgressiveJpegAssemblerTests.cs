using CollabVlm.Imaging.Progressive;

namespace CollabVlm.Imaging.Tests.Progressive;

public sealed class ProgressiveJpegAssemblerTests
{
    private static readonly ProgressiveJpeg Jpeg = Encode();

    private static ProgressiveJpeg Encode()
    {
        using var bitmap = TestFrames.PhotoLike(80, 60, seed: 3);
        return ProgressiveJpegEncoder.Encode(bitmap, 75);
    }

    [Fact]
    public void Closes_a_partial_image_with_EOI_and_leaves_a_complete_one_alone()
    {
        var layers = Jpeg.SplitIntoLayers([2, Jpeg.ScanCount - 2]);
        var assembler = new ProgressiveJpegAssembler(1 << 20);

        assembler.Append(layers[0]);
        Assert.Equal((1, (long)layers[0].Length), (assembler.LayersReceived, assembler.Length));
        Assert.Equal(Jpeg.Prefix(2), assembler.DecodableBytes());
        using (var partial = SafeImageDecoder.Decode(assembler.DecodableBytes()))
            Assert.Equal((80, 60), (partial.Width, partial.Height));

        assembler.Append(layers[1]);
        Assert.Equal(Jpeg.Bytes, assembler.DecodableBytes());
    }

    [Fact]
    public void Refuses_bytes_past_its_bound_and_keeps_what_it_had()
    {
        var layers = Jpeg.SplitIntoLayers([1, Jpeg.ScanCount - 1]);
        var assembler = new ProgressiveJpegAssembler(layers[0].Length + 10);
        assembler.Append(layers[0]);

        var error = Assert.Throws<InvalidOperationException>(() => assembler.Append(layers[1]));

        Assert.Contains("over the limit", error.Message);
        Assert.Equal(1, assembler.LayersReceived);
        Assert.Equal(Jpeg.Prefix(1), assembler.DecodableBytes());
    }

    [Fact]
    public void Refuses_nonsense_input()
    {
        var assembler = new ProgressiveJpegAssembler(1000);

        Assert.Throws<InvalidOperationException>(() => assembler.DecodableBytes());
        Assert.Throws<ArgumentException>(() => assembler.Append([]));
        Assert.Throws<ArgumentException>(() => assembler.Append([0x89, 0x50, 0x4E]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressiveJpegAssembler(0));
    }
}

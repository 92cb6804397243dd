using CollabVlm.Actors.Server;
using CollabVlm.Messages;
using Xunit;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>The rules a local image stream must keep, checked without actors.</summary>
public sealed class LocalLayerCollectorTests
{
    [Fact]
    public void Only_complete_layers_are_decodable_and_get_an_end_of_image_marker()
    {
        var collector = new LocalLayerCollector(1000);
        Assert.False(collector.Add(new LayerChunk(0, false, [0xFF, 0xD8, 1])));
        Assert.True(collector.Add(new LayerChunk(0, true, [2])));
        Assert.False(collector.Add(new LayerChunk(1, false, [3, 4])));

        Assert.Equal((1, 4L, 6L), (collector.Layers, collector.CompleteBytes, collector.BytesReceived));
        Assert.Equal([0xFF, 0xD8, 1, 2, 0xFF, 0xD9], collector.DecodableBytes());
        Assert.NotEqual(0, collector.FirstChunkTimestamp);
    }

    [Fact]
    public void A_stream_that_does_not_start_like_a_jpeg_is_refused()
    {
        var collector = new LocalLayerCollector(1000);
        var e = Assert.Throws<InvalidDataException>(() => collector.Add(new LayerChunk(0, true, [1, 2, 3])));
        Assert.Contains("SOI", e.Message);
    }

    [Theory]
    [InlineData(1, "layer 1 arrived while layer 0")]
    [InlineData(-1, "layer -1 arrived")]
    public void Chunks_out_of_layer_order_are_refused(int layer, string message)
    {
        var collector = new LocalLayerCollector(1000);
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => collector.Add(new LayerChunk(layer, true, [0xFF, 0xD8]))).Message);
    }

    [Fact]
    public void More_than_the_granted_bytes_are_refused_even_mid_layer()
    {
        var collector = new LocalLayerCollector(100);
        collector.Add(new LayerChunk(0, true, [0xFF, 0xD8, .. new byte[58]]));
        Assert.Contains("100-byte limit", Assert.Throws<InvalidDataException>(() => collector.Add(new LayerChunk(1, false, new byte[41]))).Message);
    }
}

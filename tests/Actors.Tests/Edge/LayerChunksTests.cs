using CollabVlm.Actors.Edge;
using CollabVlm.Messages;
using Xunit;

namespace CollabVlm.Actors.Tests.Edge;

/// <summary>From a local image's layers to the stream's elements.</summary>
public sealed class LayerChunksTests
{
    [Fact]
    public void Chunks_keep_layer_order_mark_each_layers_end_and_stay_under_the_message_limit()
    {
        byte[][] layers = [new byte[10], new byte[LayerChunk.MaxBytes * 2 + 5], new byte[1]];
        var chunks = LayerChunks.From(layers);
        Assert.Equal([0, 1, 1, 1, 2], chunks.Select(c => c.LayerIndex));
        Assert.Equal([true, false, false, true, true], chunks.Select(c => c.IsLastOfLayer));
        Assert.All(chunks, c => Assert.InRange(c.Bytes.Length, 1, LayerChunk.MaxBytes));
    }
}

using CollabVlm.Imaging;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>Cuts a local image's layers into the elements the edge streams to the server.</summary>
public static class LayerChunks
{
    /// <summary>Each layer cut into chunks of at most <see cref="LayerChunk.MaxBytes"/>, its last one marked.</summary>
    public static IReadOnlyList<LayerChunk> From(IReadOnlyList<byte[]> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var chunks = new List<LayerChunk>();
        for (var layer = 0; layer < layers.Count; layer++)
        {
            var parts = ByteChunks.Split(layers[layer], LayerChunk.MaxBytes);
            for (var i = 0; i < parts.Count; i++)
                chunks.Add(new LayerChunk(layer, i == parts.Count - 1, parts[i]));
        }
        return chunks;
    }
}

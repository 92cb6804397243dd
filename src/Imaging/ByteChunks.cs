namespace CollabVlm.Imaging;

/// <summary>Cuts encoded images into pieces small enough for one remote message each.</summary>
public static class ByteChunks
{
    /// <summary>Pieces of at most <paramref name="maxChunkBytes"/> whose concatenation is the input.</summary>
    public static IReadOnlyList<byte[]> Split(byte[] bytes, int maxChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkBytes, 1);

        var chunks = new List<byte[]>((bytes.Length + maxChunkBytes - 1) / maxChunkBytes);
        for (var offset = 0; offset < bytes.Length; offset += maxChunkBytes)
        {
            var length = Math.Min(maxChunkBytes, bytes.Length - offset);
            chunks.Add(bytes.AsSpan(offset, length).ToArray());
        }

        return chunks;
    }
}

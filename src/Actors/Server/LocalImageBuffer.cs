using System.Diagnostics;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>
/// Collects the chunks of one local image as they stream in, refusing to hold more than
/// <see cref="MaxBytes"/> (a misbehaving edge cannot exhaust the server's memory).
/// </summary>
public sealed class LocalImageBuffer(long maxBytes)
{
    private readonly MemoryStream _bytes = new();
    private readonly HashSet<int> _layers = [];

    public long MaxBytes { get; } = maxBytes;
    public int Chunks { get; private set; }
    public int Layers => _layers.Count;
    public long Length => _bytes.Length;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> at the first chunk; 0 before it.</summary>
    public long FirstChunkTimestamp { get; private set; }

    public LocalImageBuffer Add(LayerChunk chunk)
    {
        if (chunk.Bytes.Length > LayerChunk.MaxBytes)
            throw new InvalidDataException($"chunk of {chunk.Bytes.Length} bytes exceeds the {LayerChunk.MaxBytes}-byte chunk limit");
        if (_bytes.Length + chunk.Bytes.Length > MaxBytes)
            throw new InvalidDataException($"local image exceeds the {MaxBytes}-byte limit");
        if (Chunks == 0) FirstChunkTimestamp = Stopwatch.GetTimestamp();
        _bytes.Write(chunk.Bytes);
        _layers.Add(chunk.LayerIndex);
        Chunks++;
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}

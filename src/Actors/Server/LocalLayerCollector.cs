using System.Diagnostics;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>
/// Collects the progressive layers of one local image as its chunks stream in. Only complete layers
/// count: a refined pass sees the bytes of layers 0…n−1 (a progressive JPEG prefix that decodes),
/// never half a layer. Refuses chunks that break the stream's rules (oversized, out of order) and
/// more than <see cref="MaxBytes"/> in all, so a misbehaving edge cannot exhaust the server's memory.
/// </summary>
public sealed class LocalLayerCollector(long maxBytes)
{
    private readonly ProgressiveJpegAssembler _complete = new(maxBytes);
    private readonly MemoryStream _current = new();
    private int _currentIndex;

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Layers received whole.</summary>
    public int Layers => _complete.LayersReceived;

    /// <summary>Every byte received, a partial last layer included (what the edge sent).</summary>
    public long BytesReceived => _complete.Length + _current.Length;

    /// <summary>Bytes of the complete layers (what a refined pass sees).</summary>
    public long CompleteBytes => _complete.Length;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> at the first chunk; 0 before it.</summary>
    public long FirstChunkTimestamp { get; private set; }

    /// <summary>Adds one chunk; true when it completed a layer.</summary>
    public bool Add(LayerChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Bytes.Length > LayerChunk.MaxBytes)
            throw new InvalidDataException($"chunk of {chunk.Bytes.Length} bytes exceeds the {LayerChunk.MaxBytes}-byte chunk limit");
        if (chunk.LayerIndex != _currentIndex)
            throw new InvalidDataException($"chunk of layer {chunk.LayerIndex} arrived while layer {_currentIndex} was incomplete or expected next");
        if (BytesReceived + chunk.Bytes.Length > MaxBytes)
            throw new InvalidDataException($"local image exceeds the {MaxBytes}-byte limit this server granted it");

        if (FirstChunkTimestamp == 0) FirstChunkTimestamp = Stopwatch.GetTimestamp();
        _current.Write(chunk.Bytes);
        if (!chunk.IsLastOfLayer) return false;

        try
        {
            _complete.Append(_current.GetBuffer().AsSpan(0, (int)_current.Length));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"layer {_currentIndex}: {e.Message}", e);
        }
        _current.SetLength(0);
        _currentIndex++;
        return true;
    }

    /// <summary>
    /// The complete layers as one decodable image: a progressive JPEG prefix gets the End-Of-Image
    /// marker its encoder writes only after the last scan.
    /// </summary>
    public byte[] DecodableBytes() => _complete.DecodableBytes();
}

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Receiver side: collects layers as they arrive and hands out a decodable JPEG at any time. Holds
/// at most the byte count given at construction, so a sender cannot make it grow without bound.
/// Not thread-safe: one owner (e.g. one actor) appends and reads.
/// </summary>
public sealed class ProgressiveJpegAssembler
{
    private static readonly byte[] EndOfImage = [0xFF, 0xD9];
    private readonly long _maxBytes;
    private byte[] _buffer = [];
    private int _length;

    public ProgressiveJpegAssembler(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - EndOfImage.Length);
        _maxBytes = maxBytes;
    }

    public int LayersReceived { get; private set; }

    public long Length => _length;

    /// <summary>Adds one layer's bytes. Throws <see cref="InvalidOperationException"/> when the bound would be passed.</summary>
    public void Append(ReadOnlySpan<byte> layer)
    {
        if (layer.IsEmpty)
            throw new ArgumentException($"layer {LayersReceived + 1} is empty; every layer carries at least one scan", nameof(layer));
        if (_length + (long)layer.Length > _maxBytes)
            throw new InvalidOperationException(
                $"layer {LayersReceived + 1} of {layer.Length} bytes would bring the image to {_length + (long)layer.Length} bytes, over the limit of {_maxBytes}");
        if (LayersReceived == 0 && (layer.Length < 2 || layer[0] != 0xFF || layer[1] != 0xD8))
            throw new ArgumentException("the first layer does not start with a JPEG SOI marker", nameof(layer));

        if (_buffer.Length < _length + layer.Length)
            Array.Resize(ref _buffer, (int)Math.Min(_maxBytes, Math.Max(_length + layer.Length, 2L * _buffer.Length)));
        layer.CopyTo(_buffer.AsSpan(_length));
        _length += layer.Length;
        LayersReceived++;
    }

    /// <summary>The bytes so far, closed with EOI unless the last layer already ended the file.</summary>
    public byte[] DecodableBytes()
    {
        if (LayersReceived == 0)
            throw new InvalidOperationException("no layer has arrived yet, so there is nothing to decode");
        var received = _buffer.AsSpan(0, _length);
        return received.EndsWith(EndOfImage) ? received.ToArray() : [.. received, .. EndOfImage];
    }
}

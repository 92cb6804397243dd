namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// A progressive JPEG and where its scan units end, so it can be cut into layers that each decode
/// (docs/progressive-layers.md). <see cref="Bytes"/> is shared, not copied: treat it as read-only.
/// </summary>
public sealed class ProgressiveJpeg
{
    private static readonly byte[] EndOfImage = [0xFF, 0xD9];

    private ProgressiveJpeg(byte[] bytes, JpegScanIndex index, int quality)
    {
        Bytes = bytes;
        Width = index.Width;
        Height = index.Height;
        Quality = quality;
        HeaderLength = index.HeaderLength;
        ScanEnds = index.ScanEnds;
    }

    public byte[] Bytes { get; }
    public int Width { get; }
    public int Height { get; }
    public int Quality { get; }

    /// <summary>Offset of the first scan unit: SOI, APPn, DQT and the frame header come before it.</summary>
    public int HeaderLength { get; }

    /// <summary>Offset just past each scan unit's entropy-coded data; the last is where EOI starts.</summary>
    public IReadOnlyList<int> ScanEnds { get; }

    public int ScanCount => ScanEnds.Count;

    /// <summary>Indexes <paramref name="bytes"/> (kept, not copied); throws ArgumentException if they are not a JPEG with scans.</summary>
    public static ProgressiveJpeg FromBytes(byte[] bytes, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return new ProgressiveJpeg(bytes, JpegScanIndex.Read(bytes), quality);
    }

    /// <summary>Bytes up to the end of scan unit <paramref name="scanCount"/> (header included).</summary>
    public int PrefixLength(int scanCount)
    {
        CheckScanCount(scanCount, nameof(scanCount));
        return scanCount == ScanCount ? Bytes.Length : ScanEnds[scanCount - 1];
    }

    /// <summary>Header + the first <paramref name="scanCount"/> scans + EOI: a complete, decodable JPEG.</summary>
    public byte[] Prefix(int scanCount)
    {
        var length = PrefixLength(scanCount);
        if (length == Bytes.Length)
            return (byte[])Bytes.Clone();
        return [.. Bytes.AsSpan(0, length), .. EndOfImage];
    }

    /// <summary>
    /// Consecutive segments holding <paramref name="scansPerLayer"/>[i] scan units each: the first
    /// also holds the header, and the last holds EOI when the layers take every scan, so the
    /// concatenation is the whole file. Fewer scans in total give a prefix (the receiver adds EOI).
    /// </summary>
    public IReadOnlyList<byte[]> SplitIntoLayers(IReadOnlyList<int> scansPerLayer)
    {
        ArgumentNullException.ThrowIfNull(scansPerLayer);
        if (scansPerLayer.Count == 0)
            throw new ArgumentException("at least one layer is needed", nameof(scansPerLayer));
        if (scansPerLayer.Any(n => n < 1))
            throw new ArgumentException($"every layer needs at least one scan; got [{string.Join(", ", scansPerLayer)}]", nameof(scansPerLayer));
        var total = scansPerLayer.Sum();
        if (total > ScanCount)
            throw new ArgumentException($"the layers ask for {total} scans but the JPEG has {ScanCount}", nameof(scansPerLayer));

        var segments = new byte[scansPerLayer.Count][];
        int start = 0, scans = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            scans += scansPerLayer[i];
            var end = PrefixLength(scans);
            segments[i] = Bytes.AsSpan(start, end - start).ToArray();
            start = end;
        }

        return segments;
    }

    private void CheckScanCount(int scanCount, string name)
    {
        if (scanCount < 1 || scanCount > ScanCount)
            throw new ArgumentOutOfRangeException(name, scanCount, $"must be between 1 and the JPEG's {ScanCount} scans");
    }
}

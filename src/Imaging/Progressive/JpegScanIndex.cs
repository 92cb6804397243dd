namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Where the scans of a JPEG file begin and end, from its marker segments (ITU T.81 B.1). A scan
/// unit runs from the end of the previous scan's entropy-coded data to the end of its own, so the
/// tables (DHT, DQT, …) written just before a scan's SOS travel with that scan.
/// </summary>
internal sealed record JpegScanIndex(int Width, int Height, int HeaderLength, IReadOnlyList<int> ScanEnds, int EndOfImage)
{
    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImageMarker = 0xD9;
    private const byte StartOfScan = 0xDA;

    public static JpegScanIndex Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 4 || bytes[0] != Marker || bytes[1] != StartOfImage)
            throw new ArgumentException($"not a JPEG: {bytes.Length} bytes that do not start with the SOI marker", nameof(bytes));

        int? headerLength = null;
        int width = 0, height = 0;
        var scanEnds = new List<int>();
        var pos = 2;
        while (true)
        {
            if (pos + 1 >= bytes.Length || bytes[pos] != Marker)
                throw Broken(bytes, pos, "expected a marker");
            while (pos + 1 < bytes.Length && bytes[pos + 1] == Marker)
                pos++; // fill bytes before a marker are allowed (T.81 B.1.1.2)
            var marker = bytes[pos + 1];
            if (marker == EndOfImageMarker)
                break;
            if (pos + 3 >= bytes.Length)
                throw Broken(bytes, pos, "a marker segment is cut off");

            var segmentEnd = pos + 2 + ((bytes[pos + 2] << 8) | bytes[pos + 3]);
            if (segmentEnd > bytes.Length)
                throw Broken(bytes, pos, "a marker segment runs past the end");

            if (IsStartOfFrame(marker))
            {
                height = (bytes[pos + 5] << 8) | bytes[pos + 6];
                width = (bytes[pos + 7] << 8) | bytes[pos + 8];
                headerLength = segmentEnd;
            }

            pos = segmentEnd;
            if (marker != StartOfScan)
                continue;
            if (headerLength is null)
                throw Broken(bytes, pos, "a scan comes before the frame header");

            pos = EndOfEntropyData(bytes, pos);
            scanEnds.Add(pos);
        }

        if (headerLength is null || scanEnds.Count == 0)
            throw new ArgumentException("the JPEG has no frame header or no scan", nameof(bytes));
        return new JpegScanIndex(width, height, headerLength.Value, scanEnds, pos);
    }

    /// <summary>Entropy-coded data ends at the first marker that is neither a stuffed 0xFF00 nor a restart marker.</summary>
    private static int EndOfEntropyData(byte[] bytes, int pos)
    {
        while (pos + 1 < bytes.Length)
        {
            if (bytes[pos] == Marker)
            {
                var next = bytes[pos + 1];
                if (next != 0x00 && next is < 0xD0 or > 0xD7)
                    return pos;
                pos += 2;
            }
            else
            {
                pos++;
            }
        }

        throw Broken(bytes, pos, "a scan's data runs to the end of the file without EOI");
    }

    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

    private static ArgumentException Broken(byte[] bytes, int pos, string what) =>
        new($"malformed JPEG of {bytes.Length} bytes at offset {pos}: {what}", nameof(bytes));
}

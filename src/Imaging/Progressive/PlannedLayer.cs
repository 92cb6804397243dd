namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// One layer: scans <paramref name="FirstScan"/> (0-based) .. +<paramref name="ScanCount"/>,
/// <paramref name="Bytes"/> on the wire, and when its last byte is expected to arrive, counted from
/// the start of the upload.
/// </summary>
public sealed record PlannedLayer(int FirstScan, int ScanCount, int Bytes, TimeSpan ExpectedArrival);

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// How good the first <paramref name="Scans"/> scans are: their size (header and EOI included) and
/// PSNR against the full file's decode and against the source bitmap (RGB and luma only).
/// </summary>
public sealed record ScanPrefixQuality(int Scans, int Bytes, double ShareOfBytes, double PsnrVsFullDb, double PsnrVsSourceDb, double LumaPsnrVsSourceDb);

using CollabVlm.Primitives;

namespace CollabVlm.Messages.Tests;

/// <summary>Representative protocol messages with every field set to something non-default.</summary>
internal static class ProtocolSamples
{
    public static readonly QueryId Query = new(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));

    /// <summary>Bytes that look like a JPEG (SOI, APP0 "JFIF", noise, EOI) and hit every byte value.</summary>
    public static byte[] JpegLike(int length)
    {
        var bytes = new byte[length];
        new Random(17).NextBytes(bytes);
        byte[] head = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00];
        head.CopyTo(bytes, 0);
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    public static SubmitQuery Submit(int jpegBytes = 12_345) => new(
        Query,
        new EdgeId("camera-7/ä"),
        "What does the sign say? «Straße» 🚏",
        new GlobalImage(JpegLike(jpegBytes), 448, 336, 85, 4032, 3024),
        new QueryOptions(TimeSpan.FromMilliseconds(12_345.678), RetransmitPolicy.Always, 0.75),
        Attempt: 3);

    public static LayerChunk Chunk(int bytes = LayerChunk.MaxBytes) => new(4, true, JpegLike(bytes));

    public static QueryAnswered Answered(NormalizedBox? roi) => new(
        Query,
        new Answer(
            Text: "STOP — 30 km/h",
            Stage: AnswerStage.Refined,
            Uncertainty: 0.0123456789,
            GlobalUncertainty: 2.718281828,
            Threshold: 0.5,
            BytesGlobal: 41_234,
            BytesLocal: 5_000_000_000,
            LayersUsed: 3,
            Roi: roi,
            DegradedReason: roi is null ? "edge went silent" : null,
            Timings: new StageTimings(12.5, 3.25, 140.125, 20.0625, 180.1),
            GlobalQuality: 72,
            LayersPlanned: 4,
            BytesLocalPlanned: 5_000_100_000));
}

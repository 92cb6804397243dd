using System.Text;
using CollabVlm.Messages.Serialization;
using CollabVlm.Primitives;
using static CollabVlm.Messages.Tests.ProtocolSamples;

namespace CollabVlm.Messages.Tests;

/// <summary>
/// Remote messages over Akka's maximum-frame-size (128000 bytes by default) are dropped with only a
/// log line, and image bytes are the payload the system exists to minimise: both are checked here.
/// </summary>
public sealed class ProtocolSizeTests(ProtocolActorSystemFixture fixture) : IClassFixture<ProtocolActorSystemFixture>
{
    private const int AkkaDefaultMaximumFrameSize = 128_000;

    private byte[] Serialize(IProtocolMessage message) =>
        Assert.IsType<ProtocolSerializer>(fixture.System.Serialization.FindSerializerFor(message)).ToBinary(message);

    [Fact]
    public void A_full_64_KiB_chunk_stays_far_below_the_frame_limit()
    {
        var bytes = Serialize(Chunk(LayerChunk.MaxBytes));
        Assert.True(bytes.Length < 70_000, $"64 KiB chunk serialized to {bytes.Length} bytes");
        Assert.True(bytes.Length < AkkaDefaultMaximumFrameSize);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(60_000)]
    [InlineData(100_000)]
    public void Jpeg_bytes_of_a_query_travel_raw_not_base64(int jpegBytes)
    {
        // base64 would cost 4/3 of the payload; raw costs the payload plus a small JSON header.
        var query = Submit(jpegBytes);
        var bytes = Serialize(query);
        Assert.True(bytes.Length < jpegBytes * 1.05 + 1024, $"{jpegBytes} JPEG bytes serialized to {bytes.Length}");
        Assert.True(bytes.AsSpan().IndexOf(query.Global.Jpeg) >= 0, "the JPEG does not appear verbatim in the frame");
        Assert.DoesNotContain(Convert.ToBase64String(query.Global.Jpeg.AsSpan(0, 64)), Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public void Chunk_bytes_travel_raw_not_base64()
    {
        var chunk = Chunk(LayerChunk.MaxBytes);
        var bytes = Serialize(chunk);
        Assert.True(bytes.Length < chunk.Bytes.Length * 1.05 + 1024);
        Assert.True(bytes.AsSpan().IndexOf(chunk.Bytes) >= 0, "the chunk does not appear verbatim in the frame");
    }

    [Fact]
    public void Messages_without_images_are_small()
    {
        Assert.True(Serialize(Answered(NormalizedBox.Create(0, 0, 1, 1))).Length < 2_000);
        Assert.True(Serialize(new QueryFailed(Query, FailureReason.Timeout, "global pass took longer than 10 s")).Length < 1_000);
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Primitives;
using ProtocolSerializationException = CollabVlm.Messages.Serialization.SerializationException;
using ProtocolSerializer = CollabVlm.Messages.Serialization.ProtocolSerializer;

namespace CollabVlm.Messages.Tests;

/// <summary>Bytes that claim to be a protocol message but are not must fail loudly and specifically.</summary>
public sealed class MalformedFrameTests(ProtocolActorSystemFixture fixture) : IClassFixture<ProtocolActorSystemFixture>
{
    private ProtocolSerializer Serializer => Assert.IsType<ProtocolSerializer>(
        fixture.System.Serialization.FindSerializerForType(typeof(QueryAccepted)));

    private static byte[] Frame(int declaredJsonLength, string json, int payloadBytes = 0)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + utf8.Length + payloadBytes];
        BinaryPrimitives.WriteInt32LittleEndian(frame, declaredJsonLength);
        utf8.CopyTo(frame, 4);
        return frame;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_frame_shorter_than_its_header_is_rejected(int length)
    {
        var e = Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(new byte[length], "query-failed.v1"));
        Assert.Contains("shorter than its header", e.Message);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void A_frame_declaring_a_wrong_json_length_is_rejected(int declared)
    {
        var e = Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(Frame(declared, "{}"), "query-accepted.v1"));
        Assert.Contains("declares", e.Message);
    }

    [Fact]
    public void An_unknown_manifest_is_rejected()
    {
        var good = Serializer.ToBinary(new QueryAccepted(ProtocolSamples.Query));
        var e = Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(good, "query-accepted.v99"));
        Assert.Contains("query-accepted.v99", e.Message);
    }

    [Fact]
    public void A_json_null_body_is_rejected() =>
        Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(Frame(4, "null"), "query-failed.v1"));

    [Fact]
    public void A_body_that_is_not_json_is_rejected() =>
        Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(Frame(5, "{oops"), "query-failed.v1"));

    [Fact]
    public void A_body_missing_required_fields_is_rejected() =>
        Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(Frame(2, "{}"), "query-failed.v1"));

    /// <summary>Found by the fuzzer: Akka's reader of the nested sink threw protobuf, type-load and argument errors of its own.</summary>
    [Theory]
    [InlineData(2, "", "AAAA")]
    [InlineData(0, "F", "CgVoZWxsbw==")]
    [InlineData(2, "refined", "/////w==")]
    public async Task A_RoiRequest_whose_sink_cannot_be_read_is_a_typed_error_naming_the_sink(int serializerId, string manifest, string sinkBase64)
    {
        var sinkRef = await StreamRefs.SinkRef<LayerChunk>().To(Sink.Ignore<LayerChunk>()).Run(fixture.Materializer);
        var valid = Serializer.ToBinary(new RoiRequest(ProtocolSamples.Query, NormalizedBox.Create(0.1, 0.2, 0.3, 0.4), TimeSpan.FromSeconds(1), 512, 80, 1_000_000, sinkRef));
        var json = JsonNode.Parse(valid.AsSpan(4, BinaryPrimitives.ReadInt32LittleEndian(valid)))!.AsObject();
        json["sinkSerializerId"] = serializerId;
        json["sinkManifest"] = manifest;
        json["sink"] = sinkBase64;
        var body = json.ToJsonString();

        var e = Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(Frame(Encoding.UTF8.GetByteCount(body), body), "roi-request.v2"));
        Assert.Contains("sink reference that cannot be read", e.Message);
    }

    [Theory]
    [InlineData(3, 2, "AAEC")]      // 3 cells for a 3×2 map
    [InlineData(0, 2, "")]          // no columns
    [InlineData(65, 1, "AA==")]     // wider than any map the server sends
    public async Task A_RoiRequest_whose_relevance_map_does_not_add_up_is_a_typed_error_naming_the_map(int width, int height, string cellsBase64)
    {
        var sinkRef = await StreamRefs.SinkRef<LayerChunk>().To(Sink.Ignore<LayerChunk>()).Run(fixture.Materializer);
        var valid = Serializer.ToBinary(new RoiRequest(ProtocolSamples.Query, NormalizedBox.Create(0.1, 0.2, 0.3, 0.4), TimeSpan.FromSeconds(1), 512, 80, 1_000_000, sinkRef,
            new CoarseRelevance(1, 1, [255])));
        var json = JsonNode.Parse(valid.AsSpan(4, BinaryPrimitives.ReadInt32LittleEndian(valid)))!.AsObject();
        json["relevance"] = new JsonObject { ["width"] = width, ["height"] = height, ["cells"] = cellsBase64 };
        var body = json.ToJsonString();

        var e = Assert.Throws<ProtocolSerializationException>(() => Serializer.FromBinary(Frame(Encoding.UTF8.GetByteCount(body), body), "roi-request.v2"));
        Assert.Contains("relevance map that is not valid", e.Message);
    }
}

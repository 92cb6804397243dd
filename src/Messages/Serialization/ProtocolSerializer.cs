using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Akka.Streams;
using CollabVlm.Primitives;

namespace CollabVlm.Messages.Serialization;

/// <summary>
/// Serializer for every <see cref="IProtocolMessage"/>: System.Text.Json with one string manifest
/// per type (the manifest carries the version, so a v2 can be read beside v1).
/// Wire layout: <c>[int32 json length][json][raw payload]</c>. Image bytes are appended raw rather
/// than base64 inside the JSON, because the whole point of the system is to send few bytes.
/// Stream references inside a message are serialized by Akka's own serializer for them and
/// nested here, so they resolve to live actors on the receiving side.
/// </summary>
public sealed class ProtocolSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4711;

    public ProtocolSerializer(ExtendedActorSystem system) : base(system)
    {
        // RoiRequest nests a sink ref written by Akka.Streams' serializer, which is registered only
        // once something in this system materialized a stream; an edge may receive one before that.
        system.Settings.InjectTopLevelFallback(ActorMaterializer.DefaultConfig());
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // An infinite threshold ("never retransmit") or uncertainty must still travel.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Missing fields are an error, not a record with nulls where the type says never null.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private static readonly Dictionary<Type, string> ManifestByType = new()
    {
        [typeof(SubmitQuery)] = "submit-query.v1",
        [typeof(QueryAccepted)] = "query-accepted.v1",
        [typeof(RoiRequest)] = "roi-request.v2",
        [typeof(RoiDeclined)] = "roi-declined.v1",
        [typeof(LayerChunk)] = "layer-chunk.v1",
        [typeof(LocalImagePlan)] = "local-image-plan.v1",
        [typeof(LocalImageReceived)] = "local-image-received.v1",
        [typeof(QueryAnswered)] = "query-answered.v1",
        [typeof(QueryFailed)] = "query-failed.v1",
        [typeof(ServerLoad)] = "server-load.v1",
    };

    public override int Identifier => SerializerId;

    /// <summary>The manifests this serializer knows, for tests and documentation.</summary>
    public static IReadOnlyCollection<Type> SupportedTypes => ManifestByType.Keys;

    public override string Manifest(object o) =>
        ManifestByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().FullName} is not a registered protocol message; add it to {nameof(ProtocolSerializer)}");

    public override byte[] ToBinary(object obj) => obj switch
    {
        // The JPEG is moved out of the JSON and appended raw.
        SubmitQuery q => Frame(q with { Global = q.Global with { Jpeg = [] } }, q.Global.Jpeg),
        LayerChunk c => Frame(c with { Bytes = [] }, c.Bytes),
        RoiRequest r => Frame(RoiRequestDto.From(r, system), []),
        IProtocolMessage m => Frame(m, []),
        _ => throw new ArgumentException($"{obj.GetType().FullName} is not a protocol message"),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var (json, payload) = Unframe(bytes, manifest);
        return manifest switch
        {
            "submit-query.v1" => Read<SubmitQuery>(json) is var q ? q with { Global = q.Global with { Jpeg = payload } } : null!,
            "query-accepted.v1" => Read<QueryAccepted>(json),
            "roi-request.v2" => Read<RoiRequestDto>(json).ToMessage(system),
            "roi-declined.v1" => Read<RoiDeclined>(json),
            "layer-chunk.v1" => Read<LayerChunk>(json) with { Bytes = payload },
            "local-image-plan.v1" => Read<LocalImagePlan>(json),
            "local-image-received.v1" => Read<LocalImageReceived>(json),
            "query-answered.v1" => Read<QueryAnswered>(json),
            "query-failed.v1" => Read<QueryFailed>(json),
            "server-load.v1" => Read<ServerLoad>(json),
            _ => throw new SerializationException($"unknown protocol manifest '{manifest}'"),
        };
    }

    private static byte[] Frame<T>(T header, byte[] payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, header!.GetType(), Json);
        var frame = new byte[4 + json.Length + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, json.Length);
        json.CopyTo(frame, 4);
        payload.CopyTo(frame, 4 + json.Length);
        return frame;
    }

    private static (ReadOnlyMemory<byte> Json, byte[] Payload) Unframe(byte[] bytes, string manifest)
    {
        if (bytes.Length < 4)
            throw new SerializationException($"'{manifest}' frame of {bytes.Length} bytes is shorter than its header");
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (jsonLength < 0 || jsonLength > bytes.Length - 4)
            throw new SerializationException($"'{manifest}' frame declares {jsonLength} JSON bytes but holds {bytes.Length - 4}");
        return (bytes.AsMemory(4, jsonLength), bytes[(4 + jsonLength)..]);
    }

    private static T Read<T>(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json.Span, Json) ?? throw new SerializationException($"empty {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"{typeof(T).Name} body is not valid: {e.Message}");
        }
    }

    /// <summary>Wire form of <see cref="RoiRequest"/>: the sink reference nested as Akka serializes it.</summary>
    private sealed record RoiRequestDto(
        QueryId QueryId, NormalizedBox Box, TimeSpan Deadline, int MaxLongSide, int Quality, long MaxBytes,
        int SinkSerializerId, string SinkManifest, byte[] Sink, CoarseRelevance? Relevance)
    {
        public static RoiRequestDto From(RoiRequest r, ExtendedActorSystem system)
        {
            var serializer = system.Serialization.FindSerializerFor(r.Sink);
            return new RoiRequestDto(r.QueryId, r.Box, r.Deadline, r.MaxLongSide, r.Quality, r.MaxBytes,
                serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, r.Sink), serializer.ToBinary(r.Sink), r.Relevance);
        }

        public RoiRequest ToMessage(ExtendedActorSystem system)
        {
            // Optional (a sender without a map omits it); when present it must be whole, or the edge's ranking would read past it.
            if (Relevance?.Validate() is { } problem)
                throw new SerializationException($"RoiRequest for {QueryId} carries a relevance map that is not valid: {problem}");
            object? decoded;
            try
            {
                decoded = system.Serialization.Deserialize(Sink, SinkSerializerId, SinkManifest);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Akka's serializers throw whatever their format's reader throws (protobuf errors,
                // unknown manifests, types that do not resolve, null references): one typed error
                // names the sink as the part that was wrong.
                throw new SerializationException(
                    $"RoiRequest for {QueryId} carries a sink reference that cannot be read (serializer {SinkSerializerId}, manifest '{SinkManifest}'): {e.GetType().Name}: {e.Message}");
            }
            var sink = decoded as ISinkRef<LayerChunk>
                ?? throw new SerializationException($"RoiRequest for {QueryId} carries a sink that is not an ISinkRef<LayerChunk>");
            return new RoiRequest(QueryId, Box, Deadline, MaxLongSide, Quality, MaxBytes, sink, Relevance);
        }
    }
}

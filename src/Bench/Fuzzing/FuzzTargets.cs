using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Actors.Server;
using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;
using CollabVlm.Messages.Serialization;
using CollabVlm.Primitives;
using SkiaSharp;

namespace CollabVlm.Bench.Fuzzing;

/// <summary>
/// The entry points a node runs on bytes it received, each seeded with valid inputs: the protocol
/// deserializer once per manifest, the image header check the gateway runs on a submission, the
/// full image decode the model runs, and the server's local-image path (layer chunks collected,
/// the complete layers decoded).
/// </summary>
public sealed class FuzzTargets : IDisposable
{
    private const string Hocon = """
        akka.loglevel = ERROR
        akka.stdout-loglevel = ERROR
        """;

    private readonly ActorSystem _system;

    public FuzzTargets()
    {
        _system = ActorSystem.Create("fuzz", ConfigurationFactory.ParseString(Hocon));
        var serializer = new ProtocolSerializer((ExtendedActorSystem)_system);
        var images = SeedImages();
        var progressive = images.Progressive;
        Targets =
        [
            .. ProtocolSamples(_system).Select(m => ProtocolTarget(serializer, m)),
            new FuzzTarget("image-header", images.All, false, (bytes, _) => SafeImageDecoder.ReadHeader(bytes), e => e is ImageDecodeException),
            new FuzzTarget("image-decode", images.All, false, (bytes, _) => SafeImageDecoder.Decode(bytes).Dispose(), e => e is ImageDecodeException),
            new FuzzTarget("local-layers", [progressive], false, CollectAndDecode, e => e is InvalidDataException or ImageDecodeException),
        ];
    }

    public IReadOnlyList<FuzzTarget> Targets { get; }

    private static FuzzTarget ProtocolTarget(ProtocolSerializer serializer, IProtocolMessage sample)
    {
        var manifest = serializer.Manifest(sample);
        return new FuzzTarget($"protocol {manifest}", [serializer.ToBinary(sample)], true,
            (bytes, _) => serializer.FromBinary(bytes, manifest), e => e is SerializationException);
    }

    /// <summary>
    /// What the server does with a local image: chunks of at most <see cref="LayerChunk.MaxBytes"/>
    /// per layer into a <see cref="LocalLayerCollector"/> (layers cut at random points of the input),
    /// then a decode of the complete layers after each one, as a refined pass on each layer would.
    /// </summary>
    private static void CollectAndDecode(byte[] bytes, Random random)
    {
        var collector = new LocalLayerCollector(2 * 1024 * 1024);
        var cuts = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(bytes.Length + 1)).Append(bytes.Length).Distinct().Order().ToList();
        var start = 0;
        for (var layer = 0; layer < cuts.Count; layer++)
        {
            var end = cuts[layer];
            for (var at = start; at < end || at == start; at += LayerChunk.MaxBytes)
            {
                var length = Math.Min(LayerChunk.MaxBytes, end - at);
                if (!collector.Add(new LayerChunk(layer, at + length >= end, bytes.AsSpan(at, length).ToArray()))) continue;
                using var decoded = SafeImageDecoder.Decode(collector.DecodableBytes());
                break;
            }
            start = end;
        }
    }

    private static (IReadOnlyList<byte[]> All, byte[] Progressive) SeedImages()
    {
        using var picture = new SKBitmap(new SKImageInfo(96, 64, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(picture))
        {
            canvas.Clear(new SKColor(70, 110, 150));
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(50, 10, 30, 20, paint);
            paint.Color = new SKColor(200, 40, 40);
            canvas.DrawCircle(20, 40, 12, paint);
        }
        using var gray = new SKBitmap(new SKImageInfo(40, 30, SKColorType.Gray8, SKAlphaType.Opaque));
        picture.ScalePixels(gray, new SKSamplingOptions(SKFilterMode.Linear));
        var progressive = ProgressiveJpegEncoder.Encode(picture, 80).Bytes;
        using var image = SKImage.FromBitmap(picture);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return ([JpegEncoder.Encode(picture, 85).Bytes, JpegEncoder.Encode(gray, 60).Bytes, progressive, png.ToArray()], progressive);
    }

    private static IEnumerable<IProtocolMessage> ProtocolSamples(ActorSystem system)
    {
        var id = new QueryId(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9 };
        var box = new NormalizedBox(0.25, 0.125, 0.75, 0.5);
        var answer = new Answer("STOP", AnswerStage.Refined, 0.0123, 2.7, 0.5, 41_234, 5_000, 3, box, "edge went silent",
            new StageTimings(12.5, 3.25, 140.125, 20.0625, 180.1), 72, 4, 6_000);
        var sink = StreamRefs.SinkRef<LayerChunk>().To(Sink.Ignore<LayerChunk>()).Run(system.Materializer()).Result;
        return
        [
            new SubmitQuery(id, new EdgeId("camera-7"), "What does the sign say?", new GlobalImage(jpeg, 448, 336, 85, 4032, 3024),
                new QueryOptions(TimeSpan.FromSeconds(12.5), RetransmitPolicy.Always, 0.75, RefineOn.EachLayer), 2),
            new QueryAccepted(id),
            new RoiRequest(id, box, TimeSpan.FromSeconds(8), 1280, 90, 2 * 1024 * 1024, sink, new CoarseRelevance(4, 3, [0, 9, 80, 255, 3, 0, 40, 128, 0, 0, 1, 7])),
            new RoiDeclined(id, "no camera frame any more"),
            new LayerChunk(2, true, jpeg),
            new LocalImagePlan(id, 4, 120_000, 8_000, 1280, 90),
            new LocalImageReceived(id, 120_000, 4, true),
            new QueryAnswered(id, answer),
            new QueryFailed(id, FailureReason.Busy, "inference queue is full"),
        ];
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}

using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Uplink;
using Xunit;
using Xunit.Abstractions;

namespace CollabVlm.Actors.Tests.Link;

/// <summary>
/// The estimator (the <see cref="LinkSampleWindow"/> each edge device holds) against an emulated link: the test
/// kit's system is the edge, a second ActorSystem is the server, and they talk over TCP on loopback. Each transfer
/// pushes 16 KiB chunks through the real <see cref="UplinkShaper"/> into a SinkRef the server side allocated, and is
/// timed — as the edge times uploads — from the first byte until the server's receipt comes back.
/// </summary>
public sealed class EmulatedLinkSpecs : TestKit, IAsyncLifetime
{
    private const int ChunkBytes = 16 * 1024;

    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.remote.log-remote-lifecycle-events = off
        akka.loglevel = WARNING
        """);

    /// <summary>Server side: for each request, allocates a SinkRef and acknowledges with the byte count once the stream completed.</summary>
    private sealed class Receiver : ReceiveActor
    {
        public Receiver(IMaterializer materializer)
        {
            Receive<string>(_ =>
            {
                var requester = Sender;
                var (sinkRef, received) = StreamRefs.SinkRef<byte[]>()
                    .ToMaterialized(Sink.Aggregate<byte[], long>(0L, (total, chunk) => total + chunk.Length), Keep.Both)
                    .Run(materializer);
                received.PipeTo(requester);
                sinkRef.PipeTo(requester);
            });
        }
    }

    private readonly ITestOutputHelper _output;
    private readonly ActorSystem _server;
    private readonly ActorSelection _receiver;
    private readonly UplinkShaper _shaper;
    private readonly LinkSampleWindow _estimator = new(new LinkEstimatorSettings());
    private readonly IMaterializer _materializer;

    public EmulatedLinkSpecs(ITestOutputHelper output) : base(Remote, "edge", output)
    {
        _output = output;
        // Creating the materializer also registers the StreamRef serializer, needed before a SinkRef arrives.
        _materializer = Sys.Materializer();
        _server = ActorSystem.Create("server", Remote);
        var receiver = _server.ActorOf(Props.Create(() => new Receiver(_server.Materializer())), "receiver");
        var serverAddress = ((ExtendedActorSystem)_server).Provider.DefaultAddress;
        _receiver = Sys.ActorSelection(receiver.Path.ToStringWithAddress(serverAddress));
        _shaper = new UplinkShaper(new UplinkSettings { Enabled = true, BitsPerSecond = 1_000_000, OneWayDelay = TimeSpan.FromMilliseconds(25) });
    }

    /// <summary>
    /// One unreported transfer through a fast shaper first: the first stream in a fresh process pays
    /// a few hundred milliseconds of JIT and association set-up, which is not a property of the link.
    /// </summary>
    public async Task InitializeAsync()
    {
        var fast = new UplinkShaper(new UplinkSettings { Enabled = true, BitsPerSecond = 100_000_000, OneWayDelay = TimeSpan.FromMilliseconds(1) });
        await Transfer(40_000, fast);
    }

    public async Task DisposeAsync() => await _server.Terminate().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>One upload of <paramref name="bytes"/>, reported to the estimator; returns its view afterwards.</summary>
    private async Task<LinkView> Upload(int bytes)
    {
        var (received, elapsed) = await Transfer(bytes, _shaper);
        _estimator.Add(new TransferSample(received, elapsed));
        var view = _estimator.View;
        _output.WriteLine($"{bytes,7} B in {elapsed.TotalMilliseconds,6:0} ms at {_shaper.BytesPerSecond * 8 / 1000:0} kbit/s -> "
                          + $"{view.BytesPerSecond * 8 / 1000:0} kbit/s, RTT {view.RoundTrip.TotalMilliseconds:0} ms, confidence {view.Confidence:0.00}");
        return view;
    }

    private async Task<(long Received, TimeSpan Elapsed)> Transfer(int bytes, UplinkShaper shaper)
    {
        var edge = CreateTestProbe();
        _receiver.Tell("open", edge.Ref);
        var sinkRef = await edge.ExpectMsgAsync<ISinkRef<byte[]>>(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var chunks = Enumerable.Range(0, (bytes + ChunkBytes - 1) / ChunkBytes)
            .Select(i => new byte[Math.Min(ChunkBytes, bytes - i * ChunkBytes)]);
        Source.From(chunks).Via(shaper.Shape<byte[]>(chunk => chunk.Length)).RunWith(sinkRef.Sink, _materializer);
        var received = await edge.ExpectMsgAsync<long>(TimeSpan.FromSeconds(15));
        var elapsed = clock.Elapsed;
        Assert.Equal(bytes, received);
        return (received, elapsed);
    }

    [Fact]
    public async Task Within_15_percent_of_the_shaped_rate_after_three_transfers()
    {
        LinkView view = LinkView.Unknown;
        foreach (var bytes in new[] { 50_000, 80_000, 64_000 }) view = await Upload(bytes);

        Assert.InRange(view.BytesPerSecond, 125_000 * 0.85, 125_000 * 1.15);
    }

    [Fact]
    public async Task Within_25_percent_two_transfers_after_a_step_down()
    {
        foreach (var bytes in new[] { 50_000, 80_000, 64_000 }) await Upload(bytes);

        _shaper.ChangeRate(250_000);
        await Upload(50_000);
        var view = await Upload(60_000);

        Assert.InRange(view.BytesPerSecond, 31_250 * 0.75, 31_250 * 1.25);
    }
}

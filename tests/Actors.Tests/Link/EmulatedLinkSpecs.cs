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
/// The emulated link end to end, and the estimator (the <see cref="LinkSampleWindow"/> each edge device holds) on it: the test
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

    /// <summary>One upload of <paramref name="bytes"/>, reported to the estimator; returns its view afterwards and the upload's time.</summary>
    private async Task<(LinkView View, TimeSpan Elapsed)> Upload(int bytes)
    {
        var (received, elapsed) = await Transfer(bytes, _shaper);
        _estimator.Add(new TransferSample(received, elapsed));
        var view = _estimator.View;
        _output.WriteLine($"{bytes,7} B in {elapsed.TotalMilliseconds,6:0} ms at {_shaper.BytesPerSecond * 8 / 1000:0} kbit/s -> "
                          + $"{view.BytesPerSecond * 8 / 1000:0} kbit/s, RTT {view.RoundTrip.TotalMilliseconds:0} ms, confidence {view.Confidence:0.00}");
        return (view, elapsed);
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

    /// <summary>
    /// What a stalled CPU cannot break: a stall only adds time, so every transfer takes at least its bytes beyond the
    /// burst at the shaped rate plus the one-way delay (less a few ms for timers firing early on the coarse OS clock).
    /// How close the estimate comes is measured on synthetic transfers (<see cref="LinkSampleWindowSpecs"/>) and on
    /// real ones by <c>collabvlm-bench estimator</c>, where a busy machine moves a figure, not a test's verdict.
    /// </summary>
    private void AssertNotFasterThanShaped(int bytes, TimeSpan elapsed)
    {
        var floor = Math.Max(0, bytes - new UplinkSettings().BurstBytes) / _shaper.BytesPerSecond + _shaper.OneWayDelay.TotalSeconds - 0.005;
        Assert.True(elapsed.TotalSeconds >= floor, $"{bytes} B arrived in {elapsed.TotalSeconds:0.000} s, faster than the shaped {floor:0.000} s");
    }

    [Fact]
    public async Task Real_transfers_are_never_faster_than_the_shaped_link_and_give_the_estimator_a_view()
    {
        foreach (var bytes in new[] { 50_000, 80_000, 64_000 })
        {
            var (view, elapsed) = await Upload(bytes);
            AssertNotFasterThanShaped(bytes, elapsed);
            Assert.True(view.Confidence > 0, $"no confidence after a {bytes} B transfer: {view}");
        }
        Assert.Equal(3, _estimator.Count);
    }

    [Fact]
    public async Task A_step_down_of_the_shaped_rate_slows_the_real_transfers_that_follow()
    {
        foreach (var bytes in new[] { 50_000, 80_000, 64_000 }) await Upload(bytes);

        _shaper.ChangeRate(250_000);
        foreach (var bytes in new[] { 50_000, 60_000 })
        {
            var (_, elapsed) = await Upload(bytes);
            AssertNotFasterThanShaped(bytes, elapsed); // at the new rate: 50 kB take at least 1.5 s
        }
        Assert.Equal(31_250, _shaper.BytesPerSecond);
    }
}

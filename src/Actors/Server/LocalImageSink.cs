using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>
/// The server's end of one local image's stream: a <see cref="StreamRefs.SinkRef{T}"/> for the edge to push
/// <see cref="LayerChunk"/>s into, delivered to an actor one at a time. The next chunk is demanded only when the
/// actor replies <see cref="Ack"/>, so back-pressure runs from that actor to the edge, with the SinkRef's small
/// buffer between; the kill switch stops or aborts the stream from this side.
/// </summary>
public static class LocalImageSink
{
    /// <summary>The stream is open: reply <see cref="Ack"/> to get the first chunk.</summary>
    public sealed record Started;

    /// <summary>The edge completed the stream: every chunk it sent has arrived.</summary>
    public sealed record Ended;

    public sealed record Failed(Exception Cause);

    /// <summary>The reply to <see cref="Started"/> and to every chunk.</summary>
    public static object Ack { get; } = new AckSignal();

    public static (Task<ISinkRef<LayerChunk>> SinkRef, UniqueKillSwitch KillSwitch) Open(IActorRef receiver, IMaterializer materializer) =>
        StreamRefs.SinkRef<LayerChunk>()
            .ViaMaterialized(KillSwitches.Single<LayerChunk>(), Keep.Both)
            .To(Sink.ActorRefWithAck<LayerChunk>(receiver, new Started(), Ack, new Ended(), e => new Failed(e)))
            .Run(materializer);

    private sealed record AckSignal;
}

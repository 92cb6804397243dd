using Akka.Actor;
using Akka.Streams;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Edge;

/// <summary>What an <see cref="EdgeDevice"/> and each of its queries send through and by.</summary>
/// <param name="Servers">The router to the servers' gateways.</param>
/// <param name="Uplink">The node's emulated uplink, or null for the real network.</param>
/// <param name="Proposer">The node's text detector for region proposals (one frame at a time), or null when the node proposes none.</param>
internal sealed record DeviceResources(IActorRef Servers, EdgeSettings Settings, IMaterializer Materializer, IUplink? Uplink, TiledTextProposer? Proposer = null)
{
    /// <summary>The detector a query scans its frame with: none when the device proposes no regions, when the question asks for nothing written, or when the query will never ask for a region.</summary>
    public TiledTextProposer? ProposerFor(QueryOptions options, string question) =>
        options.Policy != RetransmitPolicy.Never && Settings.ScansFor(question) ? Proposer : null;
}

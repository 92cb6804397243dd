using Akka.Actor;
using Akka.Streams;
using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Edge;

/// <summary>What an <see cref="EdgeDevice"/> and each of its queries send through and by.</summary>
/// <param name="Servers">The router to the servers' gateways.</param>
/// <param name="Uplink">The node's emulated uplink, or null for the real network.</param>
internal sealed record DeviceResources(IActorRef Servers, EdgeSettings Settings, IMaterializer Materializer, IUplink? Uplink);

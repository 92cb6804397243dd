using Akka.Actor;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// <see cref="EdgeDevice"/> to <see cref="EdgeQuery"/>: a server's region request, who sent it, and the device's
/// newest link view, by which the layers are sized. Edge-local, never sent over the network.
/// </summary>
internal sealed record ServeRegion(RoiRequest Request, IActorRef Coordinator, LinkView Link);

using Akka.Actor;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// <see cref="EdgeDevice"/> to <see cref="EdgeQuery"/>: a server's region request, who sent it (the server's
/// retransmission, which the plan, the decline and the stream go to), and the device's
/// newest link view, by which the layers are sized. Edge-local, never sent over the network.
/// </summary>
internal sealed record ServeRegion(RoiRequest Request, IActorRef Requester, LinkView Link);

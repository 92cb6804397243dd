using Akka.Actor;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Region;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// <see cref="EdgeDevice"/> to <see cref="EdgeQuery"/>: a server's region request, who sent it (the server's
/// retransmission, which the plan, the decline and the stream go to), and the device's
/// newest link view, by which the layers are sized; after the edge's scan, the cut it chose (<see cref="RegionCut"/>: the
/// snapped region, its scale and the runners-up to pack beside it). Edge-local, never sent over the network.
/// </summary>
internal sealed record ServeRegion(RoiRequest Request, IActorRef Requester, LinkView Link)
{
    /// <summary>The edge's cut after its scan; null: the requested box alone, at its own pixels.</summary>
    public RegionCut? Cut { get; init; }
}

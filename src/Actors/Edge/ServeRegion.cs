using Akka.Actor;
using CollabVlm.Inference;
using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// <see cref="EdgeDevice"/> to <see cref="EdgeQuery"/>: a server's region request, who sent it (the server's
/// retransmission, which the plan, the decline and the stream go to), and the device's
/// newest link view, by which the layers are sized; after the edge's scan, the runners-up to pack beside the region
/// (<see cref="Inference.RunnerUpChoice"/>) and the scale the snapped region is sent at. Edge-local, never sent over the network.
/// </summary>
internal sealed record ServeRegion(RoiRequest Request, IActorRef Requester, LinkView Link)
{
    public IReadOnlyList<RunnerUp> RunnersUp { get; init; } = [];

    /// <summary>The share of its own pixels the region is sent at (<c>RegionCut.Scale</c>): 1 unless snapped onto a tall line.</summary>
    public double Scale { get; init; } = 1;
}

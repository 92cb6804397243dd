using Akka.Actor;

namespace CollabVlm.Actors.Edge;

/// <summary>The edge devices a node hosts (filled when the actor system starts).</summary>
public sealed class EdgeDeviceSet
{
    private readonly List<IActorRef> _devices = [];

    public IReadOnlyList<IActorRef> Devices => _devices;

    internal void Add(IActorRef device) => _devices.Add(device);
}

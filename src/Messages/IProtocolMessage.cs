namespace CollabVlm.Messages;

/// <summary>
/// Marker for every message that crosses the network. The serialization binding in
/// <see cref="Serialization.ProtocolSerializer"/> is declared on this interface, so a new protocol
/// type can never fall back silently to Akka's default (Newtonsoft) serializer.
/// </summary>
public interface IProtocolMessage;

/// <summary>A protocol message that belongs to one query.</summary>
public interface IQueryMessage : IProtocolMessage
{
    QueryId QueryId { get; }
}

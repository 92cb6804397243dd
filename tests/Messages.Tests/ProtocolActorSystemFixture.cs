using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using CollabVlm.Messages.Serialization;

namespace CollabVlm.Messages.Tests;

/// <summary>
/// One ActorSystem configured the way the nodes bind the protocol: every
/// <see cref="IProtocolMessage"/> to <see cref="ProtocolSerializer"/>. Shared per test class
/// because starting a system costs far more than the tests themselves.
/// </summary>
public sealed class ProtocolActorSystemFixture : IDisposable
{
    public const string Hocon = """
        akka.actor {
          serializers {
            collab-protocol = "CollabVlm.Messages.Serialization.ProtocolSerializer, CollabVlm.Messages"
          }
          serialization-bindings {
            "CollabVlm.Messages.IProtocolMessage, CollabVlm.Messages" = collab-protocol
          }
        }
        akka.loglevel = WARNING
        """;

    public ProtocolActorSystemFixture()
    {
        System = ActorSystem.Create("protocol-tests", ConfigurationFactory.ParseString(Hocon));
        Materializer = System.Materializer();
    }

    public ActorSystem System { get; }

    public IMaterializer Materializer { get; }

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}

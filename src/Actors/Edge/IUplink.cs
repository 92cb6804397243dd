using Akka;
using Akka.Streams.Dsl;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// The path an edge node's outgoing bytes take when something other than the real network shapes
/// them: the emulated uplink of tests, demos and benchmarks (<c>CollabVlm.Simulation.Uplink.UplinkShaper</c>).
/// Devices get null in production, where the network itself is the uplink.
/// </summary>
public interface IUplink
{
    /// <summary>Returns when <paramref name="bytes"/> sent now would have arrived; the caller sends right after.</summary>
    Task WaitToSendAsync(int bytes, CancellationToken cancellationToken);

    /// <summary>A stage that paces stream elements (the local image's chunks) as the link would.</summary>
    Flow<T, T, NotUsed> Shape<T>(Func<T, int> bytesOf);
}

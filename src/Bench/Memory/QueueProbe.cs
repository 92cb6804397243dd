using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;

namespace CollabVlm.Bench.Memory;

/// <summary>
/// Polls a server's gateway (queries in flight) and inference scheduler (jobs queued) and keeps
/// their peaks. The queues have settled when every question is either in flight on the server or
/// finished (refused somewhere), and nothing changed for a while: a quiet spell alone could be a
/// busy machine that has not delivered the questions yet.
/// </summary>
public sealed class QueueProbe(ActorSystem server)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(10);

    public int PeakInFlight { get; private set; }
    public int PeakQueued { get; private set; }

    /// <summary>True when settled within <paramref name="limit"/>; false when still moving at the limit.</summary>
    public async Task<bool> WaitUntilSettledAsync(IReadOnlyList<Task<QueryOutcome>> asks, TimeSpan limit, CancellationToken cancellationToken)
    {
        var gateway = server.ActorSelection($"/user/{QueryGateway.Name}");
        var scheduler = server.ActorSelection("/user/inference-scheduler");
        var start = DateTime.UtcNow;
        var lastChange = start;
        (int, int, int) last = (-1, -1, -1);
        while (DateTime.UtcNow - start < limit)
        {
            await Task.Delay(Poll, cancellationToken);
            var inFlight = await gateway.Ask<int>(QueryGateway.GetInFlight.Instance, Reply, cancellationToken);
            var depth = await scheduler.Ask<InferenceProtocol.Depth>(InferenceProtocol.GetDepth.Instance, Reply, cancellationToken);
            PeakInFlight = Math.Max(PeakInFlight, inFlight);
            PeakQueued = Math.Max(PeakQueued, depth.Queued);
            var finished = asks.Count(a => a.IsCompleted);
            var now = (inFlight, depth.Queued, finished);
            if (now != last) { last = now; lastChange = DateTime.UtcNow; }
            else if (inFlight + finished >= asks.Count && DateTime.UtcNow - lastChange >= Quiet) return true;
        }
        return false;
    }
}

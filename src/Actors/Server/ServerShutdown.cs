using System.Globalization;
using Akka;
using Akka.Actor;
using Akka.Event;
using CollabVlm.NodeDefaults;
using CollabVlm.TwoStage;
using static CollabVlm.Actors.Server.InferenceProtocol;
using static CollabVlm.Actors.Server.ShutdownProtocol;

namespace CollabVlm.Actors.Server;

/// <summary>
/// A server's clean shutdown (SIGTERM from Kubernetes at every scale-down and rolling update), as tasks of Akka's
/// coordinated shutdown, which the host runs when it stops:
/// <list type="number">
/// <item><c>service-unbind</c>: the gateway stops admitting (new queries are refused as shutting down, and the edges
/// are told at once, so they send elsewhere).</item>
/// <item><c>service-requests-done</c>: queries in flight run to their answer for up to <c>Server:ShutdownDrainTimeout</c>;
/// those still running then are handed back (failed as shutting down; their edges re-submit them elsewhere).</item>
/// <item><c>service-stop</c>: the scheduler fails what is still queued and answers once the running model call returned.</item>
/// <item><c>cluster-leave</c> … <c>actor-system-terminate</c>: Akka's own phases; the node leaves the cluster gracefully.</item>
/// <item>The host disposes its services: the model (<see cref="Inference.DrainingModel"/>) is disposed only once no call runs.</item>
/// </list>
/// The host's shutdown timeout covers all of it (<see cref="HostTimeout"/>).
/// </summary>
public static class ServerShutdown
{
    /// <summary>Kept for Akka's own phases (leaving the cluster, terminating the actor system).</summary>
    private static readonly TimeSpan LeaveMargin = TimeSpan.FromSeconds(10);

    /// <summary>Longest one model call may still run when the scheduler drains: the longer pass timeout.</summary>
    public static TimeSpan ModelCallGrace(ServerSettings settings) =>
        settings.GlobalInferenceTimeout > settings.RefinedInferenceTimeout ? settings.GlobalInferenceTimeout : settings.RefinedInferenceTimeout;

    /// <summary>
    /// How long the host waits for its services to stop: drain, the last model call, leaving the cluster — at least the
    /// nodes' common <see cref="NodeHostBuilder.ShutdownTimeout"/> (40 s, which the defaults 10 + 20 + 10 s fit); longer
    /// only when the settings ask for more (then the pod's grace period must grow with it).
    /// </summary>
    public static TimeSpan HostTimeout(ServerSettings settings)
    {
        var needed = settings.ShutdownDrainTimeout + ModelCallGrace(settings) + LeaveMargin;
        return needed > NodeHostBuilder.ShutdownTimeout ? needed : NodeHostBuilder.ShutdownTimeout;
    }

    /// <summary>Phase timeouts that let the drain phases run their course (Akka's default is 5 s each).</summary>
    public static string PhaseTimeouts(ServerSettings settings) => $"""
        akka.coordinated-shutdown.phases.service-requests-done.timeout = {Seconds(settings.ShutdownDrainTimeout + TimeSpan.FromSeconds(5))}
        akka.coordinated-shutdown.phases.service-stop.timeout = {Seconds(ModelCallGrace(settings) + TimeSpan.FromSeconds(5))}
        """;

    public static void Register(ActorSystem system, IActorRef gateway, IActorRef scheduler, ServerSettings settings)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-admitting-queries", () =>
        {
            gateway.Tell(StopAdmitting.Instance);
            return Task.FromResult(Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-queries", async () =>
        {
            var drained = await gateway.Ask<QueriesDrained>(DrainQueries.Instance, settings.ShutdownDrainTimeout + TimeSpan.FromSeconds(4));
            system.Log.Info("shutdown: queries drained ({0} handed back to their edges)", drained.HandedBack);
            return Done.Instance;
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "drain-model", async () =>
        {
            await scheduler.Ask<Drained>(Drain.Instance, ModelCallGrace(settings) + TimeSpan.FromSeconds(4));
            system.Log.Info("shutdown: no model call running; leaving the cluster");
            return Done.Instance;
        });
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}

using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using CollabVlm.Actors.Server;
using CollabVlm.Inference;
using CollabVlm.NodeDefaults;
using CollabVlm.NodeDefaults.Telemetry;
using CollabVlm.TwoStage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CollabVlm.Actors.Server;

/// <summary>Wires a server node: cluster role <c>server</c>, the model, its scheduler and the query gateway.</summary>
public static class ServerHostingExtensions
{
    public static IServiceCollection AddCollabVlmServer(this IServiceCollection services, ClusterNodeOptions node, ServerSettings settings,
        Func<IServiceProvider, IVisionLanguageModel> modelFactory)
    {
        if (settings.Validate() is { } problem) throw new ArgumentException(problem);
        services.AddSingleton(settings);
        // Disposed by the container after the host stopped; the wrapper waits for a call still running (see ServerShutdown).
        services.AddSingleton<IVisionLanguageModel>(p => new DrainingModel(modelFactory(p), ServerShutdown.ModelCallGrace(settings)));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ServerShutdown.HostTimeout(settings));
        services.AddSingleton(new LocalByteBudget(settings.MaxLocalBytesInFlight));
        services.AddAkka(node.SystemName, (builder, provider) => builder
            .WithCollabVlmNode(node, ClusterRoles.Server, provider)
            // The gateway is registered only after the model loaded: until then the node takes no queries.
            .WithHealthCheck("model-loaded", (_, registry, _) => Task.FromResult(registry.TryGet<QueryGateway>(out _)
                ? HealthCheckResult.Healthy("model loaded, gateway running")
                : HealthCheckResult.Unhealthy("the model is still loading")), tags: [HealthTags.Ready])
            .AddHocon(ServerShutdown.PhaseTimeouts(settings), HoconAddMode.Prepend)
            .WithActors((system, registry) =>
            {
                var metrics = provider.GetService<CollabVlmMetrics>();
                metrics?.InitializeServerSeries();
                var model = provider.GetRequiredService<IVisionLanguageModel>();
                system.Log.Info("model {0} loaded ({1})", model.Name, (model as DrainingModel)?.Inner is Inference.Reader.PpOcrReader r ? $"execution provider {r.ExecutionProvider}; files in {r.ModelDirectory}" : "custom backend");
                var scheduler = system.ActorOf(InferenceScheduler.Props(model, settings.InferenceQueueCapacity, metrics, settings.ServiceTimePrior), "inference-scheduler");
                var gateway = system.ActorOf(QueryGateway.Props(scheduler, settings, system.Materializer(), provider.GetRequiredService<LocalByteBudget>(), metrics), QueryGateway.Name);
                ServerShutdown.Register(system, gateway, scheduler, settings);
                registry.Register<InferenceScheduler>(scheduler);
                registry.Register<QueryGateway>(gateway);
            }));
        return services;
    }
}

using CollabVlm.NodeDefaults.Bootstrap;
using CollabVlm.NodeDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CollabVlm.NodeDefaults;

/// <summary>
/// Service defaults of a long-running node (in the style of eShop's ServiceDefaults): the
/// <see cref="CollabVlmMetrics"/> meter exported for Prometheus, and one small HTTP listener with
/// <see cref="HttpSettings.MetricsPath"/>, <see cref="HttpSettings.LivenessPath"/> and <see cref="HttpSettings.ReadinessPath"/>.
/// The health checks themselves come from the Akka nodes (<see cref="AkkaNodeConfiguration"/>, tags <see cref="HealthTags"/>).
/// </summary>
public static class OperationsHostingExtensions
{
    /// <exception cref="SettingsException">A bad <c>Http</c> setting.</exception>
    /// <param name="serviceName">The executable (<c>collabvlm-server</c>, <c>collabvlm-edge</c>): OpenTelemetry's service.name.</param>
    /// <param name="node">With <see cref="ClusterDiscovery.KubernetesApi"/>, the host also listens on <c>Cluster:ManagementPort</c>
    /// for <see cref="BootstrapContactPoint"/>, the route cluster bootstrap probes.</param>
    public static IHostBuilder UseCollabVlmOperations(this IHostBuilder host, HttpSettings http, string serviceName, ClusterNodeOptions node)
    {
        if (http.Validate() is { } problem) throw new SettingsException(problem);
        if (node.Validate() is { } clusterProblem) throw new SettingsException(clusterProblem);
        var bootstrap = node.Discovery == ClusterDiscovery.KubernetesApi;
        return host
            .ConfigureServices(services =>
            {
                services.AddSingleton<CollabVlmMetrics>();
                services.AddHealthChecks();
                services.AddOpenTelemetry()
                    .ConfigureResource(resource => resource.AddService(serviceName))
                    .WithMetrics(metrics => metrics
                    .AddMeter(CollabVlmMetrics.MeterName)
                    .AddPrometheusExporter());
                services.AddHostedService<OperationsEndpointAnnouncer>();
            })
            .ConfigureWebHost(web => web
                .UseKestrel(kestrel =>
                {
                    ListenAddress.Listen(kestrel, http.Hostname, http.Port);
                    if (bootstrap) ListenAddress.Listen(kestrel, node.Hostname, node.ManagementPort);
                })
                .ConfigureServices(services => services.AddRouting())
                .Configure(app => app
                    .UseRouting()
                    .UseEndpoints(endpoints =>
                    {
                        endpoints.MapPrometheusScrapingEndpoint(HttpSettings.MetricsPath);
                        endpoints.MapHealthChecks(HttpSettings.LivenessPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Live) });
                        endpoints.MapHealthChecks(HttpSettings.ReadinessPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Ready) });
                        if (bootstrap) endpoints.MapBootstrapContactPoint(node.ManagementPort);
                    })));
    }

    /// <summary>Logs where the endpoints listen once the server is up (the port may have been chosen by the OS).</summary>
    private sealed class OperationsEndpointAnnouncer(IServer server, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                loggers.CreateLogger("CollabVlm.Operations").LogInformation(
                    "operations endpoints on {Addresses}: metrics {Metrics}, liveness {Live}, readiness {Ready}",
                    string.Join(", ", addresses), HttpSettings.MetricsPath, HttpSettings.LivenessPath, HttpSettings.ReadinessPath);
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

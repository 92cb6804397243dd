using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabVlm.NodeDefaults;

/// <summary>The host every long-running node executable starts from: layered settings plus the operations endpoint.</summary>
public static class NodeHostBuilder
{
    /// <summary>
    /// How long the host gives its services to stop on SIGTERM: the node stops admitting, finishes or hands back its
    /// queries and leaves the cluster in this time. Pods allow more (terminationGracePeriodSeconds), so the node
    /// finishes before Kubernetes sends SIGKILL.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(40);

    /// <exception cref="SettingsException">A bad <c>Http</c> setting.</exception>
    /// <param name="serviceName">The executable's name, reported as OpenTelemetry's service.name.</param>
    /// <param name="node">The node's cluster settings: with Kubernetes API discovery the host also serves the bootstrap contact point.</param>
    public static IHostBuilder Create(IConfiguration configuration, string serviceName, ClusterNodeOptions node) =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddConfiguration(configuration))
            .ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout))
            .UseCollabVlmOperations(NodeConfiguration.Bind<HttpSettings>(configuration, "Http", h => h.Validate()), serviceName, node);

    /// <summary>Runs the node until stopped; a taken metrics/health (or management) port becomes a settings error naming it.</summary>
    /// <exception cref="SettingsException">The Http port or the management port is in use.</exception>
    public static async Task RunNodeAsync(this IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            // Kestrel's message names the address; say which setting owns it.
            throw new SettingsException($"Http:Port (or Cluster:ManagementPort with Kubernetes API discovery): {e.Message} Set --http-port or COLLABVLM_Http__Port (0 picks a free port).", e);
        }
    }
}

using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CollabVlm.Actors.Hosting;

/// <summary>The host every long-running node executable starts from: layered settings plus the operations endpoint.</summary>
public static class NodeHostBuilder
{
    /// <exception cref="SettingsException">A bad <c>Http</c> setting.</exception>
    /// <param name="serviceName">The executable's name, reported as OpenTelemetry's service.name.</param>
    public static IHostBuilder Create(IConfiguration configuration, string serviceName) =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddConfiguration(configuration))
            .UseCollabVlmOperations(NodeConfiguration.Bind<HttpSettings>(configuration, "Http", h => h.Validate()), serviceName);

    /// <summary>Runs the node until stopped; a taken metrics/health port becomes a settings error naming Http:Port.</summary>
    /// <exception cref="SettingsException">The Http port is in use.</exception>
    public static async Task RunNodeAsync(this IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            throw new SettingsException($"Http:Port: {e.Message} Set --http-port or COLLABVLM_Http__Port (0 picks a free port).", e);
        }
    }
}

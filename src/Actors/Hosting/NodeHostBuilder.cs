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
}

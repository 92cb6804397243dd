using Microsoft.Extensions.Configuration;

namespace CollabVlm.Actors.Hosting;

/// <summary>
/// Settings in layers, later wins: built-in defaults → appsettings.json beside the executable
/// (or <c>--config FILE</c>) → environment variables prefixed <c>COLLABVLM_</c> (<c>__</c> separates
/// sections: <c>COLLABVLM_Server__Threshold=0.5</c>) → command-line flags.
/// </summary>
public static class NodeConfiguration
{
    public const string EnvironmentPrefix = "COLLABVLM_";

    public static IConfiguration Build(string? configFile, IReadOnlyDictionary<string, string?> flagOverrides)
    {
        if (configFile is not null && !File.Exists(configFile))
            throw new FileNotFoundException($"configuration file not found: {configFile}", configFile);
        return new ConfigurationBuilder()
            .AddJsonFile(configFile ?? Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: configFile is null)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(flagOverrides)
            .Build();
    }

    /// <summary>Binds a section onto the defaults of <typeparamref name="T"/>; unknown keys are errors, not silence.</summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var value = new T();
        configuration.GetSection(section).Bind(value, o => o.ErrorOnUnknownConfiguration = true);
        return value;
    }
}

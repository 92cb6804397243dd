using Microsoft.Extensions.Configuration;

namespace CollabVlm.NodeDefaults;

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
            throw new SettingsException($"configuration file not found: {configFile}");
        return new ConfigurationBuilder()
            .AddJsonFile(configFile ?? Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: configFile is null)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(flagOverrides)
            .Build();
    }

    /// <summary>Sections a node reads; <c>MODEL_DIR</c> and <c>FONT_DIR</c> come from the plain <c>COLLABVLM_MODEL_DIR</c> / <c>COLLABVLM_FONT_DIR</c> variables.</summary>
    public static IReadOnlySet<string> KnownSections { get; } =
        new HashSet<string>(["Cluster", "Server", "Edge", "Uplink", "Link", "Model", "Http", "Simulation", "Logging", "MODEL_DIR", "FONT_DIR"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Binds a section onto the defaults of <typeparamref name="T"/> and checks the result with
    /// <paramref name="validate"/>. Unknown keys are errors, not silence: a typo must not quietly
    /// leave a default in force.
    /// </summary>
    /// <exception cref="SettingsException">An unknown key, a value of the wrong type, or a failed check.</exception>
    public static T Bind<T>(IConfiguration configuration, string section, Func<T, string?>? validate = null) where T : new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            var known = string.Join(", ", typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name));
            throw new SettingsException($"bad setting in section '{section}' (key {section}:<Name>, variable {EnvironmentPrefix}{section}__<Name>): " +
                $"{e.Message} Known settings: {known}.", e);
        }
        return validate?.Invoke(value) is { } problem ? throw new SettingsException(problem) : value;
    }

    /// <summary>
    /// The whole of <paramref name="section"/> less its <paramref name="key"/> (e.g. Model without
    /// Backend, the key that chose which class the rest binds to), list entries included.
    /// </summary>
    public static IConfiguration SectionWithout(IConfiguration configuration, string section, string key) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.GetSection(section).AsEnumerable(makePathsRelative: true)
                .Where(c => c.Value is not null && !c.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
                .Select(c => new KeyValuePair<string, string?>($"{section}:{c.Key}", c.Value)))
            .Build();

    /// <summary>Refuses top-level sections nothing reads (e.g. a misspelled <c>Servr</c>).</summary>
    /// <exception cref="SettingsException">Naming the unknown section.</exception>
    public static void CheckSections(IConfiguration configuration)
    {
        var unknown = configuration.GetChildren().Select(c => c.Key).Where(k => !KnownSections.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new SettingsException($"unknown settings section(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; " +
                $"known: Cluster, Server, Edge, Uplink, Link, Model, Http, Simulation, Logging (environment variables {EnvironmentPrefix}<Section>__<Key>)");
    }
}

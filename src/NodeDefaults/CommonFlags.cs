using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CollabVlm.NodeDefaults;

/// <summary>
/// Flags every node has (config file, address, seeds), plus a table from each flag to the
/// configuration key it overrides, so a flag is just the last layer of <see cref="NodeConfiguration"/>.
/// </summary>
public sealed class CommonFlags
{
    private readonly List<(Option Option, string Key)> _mapped = [];

    public Option<string> ConfigFile { get; } = new("--config") { Description = "JSON settings file (default: appsettings.json beside the executable)" };

    public CommonFlags()
    {
        Add(new Option<string>("--hostname") { Description = "address to bind remoting to (default 127.0.0.1)" }, "Cluster:Hostname");
        Add(new Option<string>("--public-hostname") { Description = "address other nodes use to reach this one" }, "Cluster:PublicHostname");
        Add(new Option<int>("--port") { Description = "remoting TCP port (0 = any free port)" }, "Cluster:Port");
        Add(new Option<string[]>("--seed") { Description = "seed node address, e.g. akka.tcp://collabvlm@127.0.0.1:4053 (repeatable)", AllowMultipleArgumentsPerToken = true }, "Cluster:Seeds");
    }

    public Option<T> Add<T>(Option<T> option, string configurationKey)
    {
        _mapped.Add((option, configurationKey));
        return option;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        foreach (var (option, _) in _mapped) command.Options.Add(option);
    }

    /// <summary>The layered configuration with the flags that were given on top.</summary>
    /// <exception cref="SettingsException">An unknown section, or a missing --config file.</exception>
    public IConfiguration Configuration(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var (option, key) in _mapped)
        {
            if (parse.GetResult(option) is not { } result || result.Implicit) continue;
            var value = result.GetValueOrDefault<object?>();
            if (value is string[] many)
                for (var i = 0; i < many.Length; i++) overrides[$"{key}:{i}"] = many[i];
            else
                overrides[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
        }
        var configuration = NodeConfiguration.Build(parse.GetValue(ConfigFile), overrides);
        NodeConfiguration.CheckSections(configuration);
        return configuration;
    }

    /// <summary>Runs a verb; a settings error becomes one "error:" line on stderr and exit code 2, not a stack trace.</summary>
    public static async Task<int> ReportingSettingsErrors(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }
}

using System.Text.Json;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>One finished <c>collabvlm-edge ask</c>: its exit code and what it printed.</summary>
public sealed record AskRun(int ExitCode, string StandardOutput, string StandardError, string Description)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>stdout parsed as the <c>--json</c> report; a clear failure (with the whole run) when it is not one.</summary>
    public AskReport Report()
    {
        try
        {
            return JsonSerializer.Deserialize<AskReport>(StandardOutput, JsonOptions)
                ?? throw new JsonException("the output is JSON null");
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"ask --json did not print a JSON report ({e.Message}).\n{Description}");
        }
    }

    /// <summary>stdout and stderr together, for "the message names the problem" checks.</summary>
    public string AllOutput => StandardOutput + "\n" + StandardError;
}

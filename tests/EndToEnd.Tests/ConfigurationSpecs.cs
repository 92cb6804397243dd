namespace CollabVlm.EndToEnd.Tests;

/// <summary>Configuration layering seen from outside: appsettings file → environment → flags, unknown keys refused.</summary>
public sealed class ConfigurationSpecs : IDisposable
{
    private static readonly TimeSpan QuickExit = TimeSpan.FromSeconds(20);

    private readonly TestFrames _frames = new();

    [Fact]
    public async Task An_environment_variable_overrides_the_config_file_and_sets_the_servers_threshold()
    {
        // The file says η = 7, the environment says 100: the environment wins, and at 100 bits the gate never retransmits.
        var config = _frames.WriteFile("server-settings.json", """{ "Server": { "Threshold": 7 } }"""u8.ToArray());
        var image = _frames.Jpeg(TestFrames.SmallText, "noparking");
        await using var server = await ServerNode.StartAsync(["--config", config], new Dictionary<string, string> { ["COLLABVLM_Server__Threshold"] = "100" });

        var run = await EdgeCli.AskAsync(server.Address, image, "What does the sign say?");
        Assert.True(run.ExitCode == 0, $"ask should exit 0 (answered, if wrongly).\n{run.Description}\n{server.Process.Describe()}");
        var report = run.Report();
        Assert.True(report.Answered, $"the report says not answered.\n{run.Description}");
        Assert.True(report.Threshold == 100, $"expected the answer's threshold to be 100 (from COLLABVLM_Server__Threshold), got {report.Threshold}.\n{run.Description}");
        Assert.True(report.Stage == "Global", $"with η = 100 the gate should never retransmit, got stage {report.Stage}.\n{run.Description}");
        Assert.True(report.BytesLocal == 0, $"no local bytes should be sent.\n{run.Description}");
    }

    [Fact]
    public async Task An_unknown_setting_stops_the_server_at_start_up_with_a_message_naming_it()
    {
        await using var server = ServerNode.Launch(FreePort.Next(), environment: new Dictionary<string, string> { ["COLLABVLM_Server__NoSuchSetting"] = "1" });

        var code = await server.WaitForExitAsync(QuickExit);
        Assert.True(code != 0, $"an unknown setting should make the server exit non-zero.\n{server.Describe()}");
        Assert.True(server.Output.Contains("NoSuchSetting", StringComparison.Ordinal), $"the message should name the unknown key.\n{server.Describe()}");
    }

    public void Dispose() => _frames.Dispose();
}

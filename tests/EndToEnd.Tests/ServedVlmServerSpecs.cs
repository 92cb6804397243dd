using System.Globalization;
using CollabVlm.Inference.Tests.Served;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>
/// <c>collabvlm-server --backend openai</c> as a process, pointed at <see cref="OpenAiStandIn"/> in this
/// test process: a stand-in for a remote vLLM-style server (no GPU or weights here). An unsure first
/// answer ends Refined, a sure one Global, and the server's metrics count both.
/// </summary>
public sealed class ServedVlmServerSpecs : IAsyncLifetime
{
    private const string Model = "Qwen/Qwen2.5-VL-7B-Instruct";
    private const string Key = "sk-e2e-not-for-logs";
    private readonly TestFrames _frames = new();
    private readonly TwoStageScript _script = new();
    private OpenAiStandIn _standIn = null!;

    public async Task InitializeAsync()
    {
        _standIn = await OpenAiStandIn.StartAsync();
        _standIn.Fallback = _script.Answer;
    }

    [Fact]
    public async Task Unsure_first_answers_end_refined_sure_ones_global_and_the_metrics_count_them()
    {
        var httpPort = FreePort.Next();
        await using var server = await ServerNode.StartAsync(
            ["--backend", "openai", "--openai-endpoint", _standIn.BaseUrl, "--openai-model", Model, "--threshold", "0.5",
             "--http-port", httpPort.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["COLLABVLM_Model__ApiKey"] = Key });
        var image = _frames.Jpeg(TestFrames.LargeText, "exit24");

        _script.GlobalSure = false;
        var unsure = await EdgeCli.AskAsync(server.Address, image, "What does the sign say?");
        var refined = unsure.Report();
        Assert.True(unsure.ExitCode == 0 && refined.Answered && refined.Stage == "Refined", $"expected a refined answer.\n{unsure.Description}\n{server.Process.Describe()}");
        Assert.Equal(TwoStageScript.RefinedAnswer, refined.Answer);
        Assert.True(refined.BytesLocal > 0, unsure.Description);

        _script.GlobalSure = true;
        var sure = await EdgeCli.AskAsync(server.Address, image, "What does the sign say?");
        var global = sure.Report();
        Assert.True(sure.ExitCode == 0 && global.Answered && global.Stage == "Global", $"expected a global answer.\n{sure.Description}\n{server.Process.Describe()}");
        Assert.Equal(0, global.BytesLocal);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metrics = $"http://127.0.0.1:{httpPort}/metrics";
        Assert.True(await HttpPoll.UntilAsync(client, metrics, (_, body) =>
                ScrapedMetric.Value(body, "collabvlm_queries_answered_total", ("stage", "refined")) == 1
                && ScrapedMetric.Value(body, "collabvlm_queries_answered_total", ("stage", "global")) == 1, TimeSpan.FromSeconds(30)),
            $"collabvlm_queries_answered_total should count one refined and one global answer.\n{server.Process.Describe()}");

        Assert.All(_standIn.Requests, r => Assert.Equal("Bearer " + Key, r.Authorization));
        Assert.Contains(_standIn.Requests, r => r.ImageUrls.Count == 2);
        Assert.DoesNotContain(Key, server.Process.Output, StringComparison.Ordinal);
        Assert.Contains("API key set", server.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openai_backend_without_an_endpoint_stops_the_server_naming_the_flag()
    {
        await using var server = ServerNode.Launch(FreePort.Next(), ["--backend", "openai", "--openai-model", Model]);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(code == 2, $"expected exit code 2 (bad setting).\n{server.Describe()}");
        Assert.Contains("--openai-endpoint", server.Output, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _standIn.DisposeAsync();
        _frames.Dispose();
    }
}

using CollabVlm.VlmSynthesis;

namespace CollabVlm.EndToEnd.Tests;

/// <summary><c>collabvlm-server --backend onnx-vlm</c> as a process, on the generated tiny VLM.</summary>
public sealed class VlmServerSpecs : IDisposable
{
    private static readonly TimeSpan QuickExit = TimeSpan.FromSeconds(30);
    private readonly TestFrames _frames = new();
    private readonly string _model;

    public VlmServerSpecs() => _model = TinyVlm.Create(Path.Combine(_frames.Directory, "tiny-vlm"));

    [Fact]
    public async Task A_server_started_with_the_onnx_vlm_backend_answers_ask_through_both_stages()
    {
        await using var server = await ServerNode.StartAsync(["--backend", "onnx-vlm", "--model-dir", _model, "--execution-provider", "cpu"]);
        Assert.Contains("relevance from Attention", server.Process.Output);
        var image = _frames.Jpeg(TestFrames.LargeText, "exit24");

        var run = await EdgeCli.AskAsync(server.Address, image, "What does the sign say?", json: true, "--policy", "always");
        Assert.True(run.ExitCode == 0, $"ask should exit 0.\n{run.Description}\n{server.Process.Describe()}");
        var report = run.Report();
        Assert.True(report.Answered && report.Stage == "Refined", $"expected a refined answer.\n{run.Description}");
        Assert.True(report.BytesLocal > 0, $"expected local bytes.\n{run.Description}");
        Assert.False(string.IsNullOrWhiteSpace(report.Answer), $"expected the tiny model's text.\n{run.Description}");
    }

    [Fact]
    public async Task A_reader_setting_with_the_onnx_vlm_backend_stops_the_server_naming_it()
    {
        await using var server = ServerNode.Launch(FreePort.Next(), ["--backend", "onnx-vlm", "--model-dir", _model],
            new Dictionary<string, string> { ["COLLABVLM_Model__DetectorLongSide"] = "640" });
        var code = await server.WaitForExitAsync(QuickExit);
        Assert.True(code == 2, $"expected exit code 2 (bad setting).\n{server.Describe()}");
        Assert.True(server.Output.Contains("DetectorLongSide", StringComparison.Ordinal), $"the message should name the key.\n{server.Describe()}");
    }

    public void Dispose() => _frames.Dispose();
}

using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Imaging;
using CollabVlm.Inference.Served;
using CollabVlm.Inference.Tests.Served;
using CollabVlm.Messages;
using CollabVlm.Simulation.Frames;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// A server node with the served-VLM backend in a real loopback cluster, its model calls answered by
/// <see cref="OpenAiStandIn"/> (a stand-in for a remote vLLM-style server, which cannot run here):
/// an unsure global answer goes through grounding RoI, the local image streamed from the edge and the
/// two-image pass; a sure one stops at the global pass.
/// </summary>
public sealed class ServedVlmClusterSpecs : IAsyncLifetime
{
    private readonly TwoStageScript _script = new();
    private OpenAiStandIn _server = null!;
    private LoopbackCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAiStandIn.StartAsync();
        _server.Fallback = _script.Answer;
        var options = new ServedVlmOptions { Endpoints = [_server.BaseUrl], ModelName = "Qwen/Qwen2.5-VL-7B-Instruct", GlobalLongSide = 512 };
        _cluster = await LoopbackCluster.StartAsync(new ServerSettings { Threshold = 0.5, LocalBasePixels = 256 }, _ => new ServedVlm(options),
            // No text scan: it would move the region onto the rendered sign, away from the scripted grounding box this follows.
            new EdgeSettings { GlobalLongSide = 512, ProposeRegions = false }, edgeNodes: 1);
    }

    private async Task<Answer> AskAsync()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(1024, 768, "EXIT 24", 40, 1));
        var jpeg = JpegEncoder.Encode(frame.Bitmap, 90).Bytes;
        var outcome = await _cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(jpeg, "What does the sign say?"), TimeSpan.FromSeconds(90));
        return outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
    }

    [Fact]
    public async Task An_unsure_answer_goes_through_grounding_RoI_retransmission_and_the_two_image_request()
    {
        var answer = await AskAsync();

        Assert.Equal(AnswerStage.Refined, answer.Stage);
        Assert.Equal(TwoStageScript.RefinedAnswer, answer.Text);
        Assert.True(answer.GlobalUncertainty > 1.5, $"global H∞ {answer.GlobalUncertainty}");
        Assert.True(answer.BytesLocal > 0);
        // The grounding box lies in the right half of the 512-px global image (x 300–480): so must the RoI's centre.
        Assert.NotNull(answer.Roi);
        Assert.True((answer.Roi.X0 + answer.Roi.X1) / 2 > 0.5, $"RoI {answer.Roi}");
        var refined = Assert.Single(_server.Requests, r => r.ImageUrls.Count == 2);
        Assert.All(refined.ImageUrls, url => Assert.StartsWith("data:image/jpeg;base64,", url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sure_answer_stops_at_the_global_pass()
    {
        _script.GlobalSure = true;
        var answer = await AskAsync();

        Assert.Equal(AnswerStage.Global, answer.Stage);
        Assert.Equal(0, answer.BytesLocal);
        Assert.DoesNotContain(_server.Requests, r => r.ImageUrls.Count == 2);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _server.DisposeAsync();
    }
}

using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Imaging;
using CollabVlm.Inference.Onnx;
using CollabVlm.VlmSynthesis;
using CollabVlm.Inference.Vlm;
using CollabVlm.Messages;
using CollabVlm.Simulation.Frames;
using CollabVlm.Simulation.Hosting;
using CollabVlm.TwoStage;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// A server node running the ONNX VLM backend (the generated tiny VLM, with attention outputs) in a
/// real loopback cluster. η = 0 makes every answer uncertain enough to go through the whole
/// two-stage protocol: global pass, rel-att RoI, local image streamed from the edge, two-image pass.
/// </summary>
public sealed class TinyVlmClusterSpecs : IAsyncLifetime
{
    private readonly string _modelDirectory = TinyVlm.Create(Path.Combine(Path.GetTempPath(), "collabvlm-cluster-vlm-" + Guid.NewGuid().ToString("N")));
    private LoopbackCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var options = new VlmOptions { ModelDirectory = _modelDirectory, ExecutionProvider = ExecutionProviderChoice.Cpu, IntraOpThreads = 1, MaxNewTokens = 6 };
        _cluster = await LoopbackCluster.StartAsync(new ServerSettings { Threshold = 0, LocalBasePixels = 256 }, _ => new OnnxVlm(options),
            new EdgeSettings { GlobalLongSide = 128 }, edgeNodes: 1);
    }

    [Fact]
    public async Task An_uncertain_answer_goes_through_rel_att_RoI_retransmission_and_the_two_image_pass()
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(1024, 768, "EXIT 24", 40, 1));
        var jpeg = JpegEncoder.Encode(frame.Bitmap, 90).Bytes;
        var outcome = await _cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(jpeg, "What does the sign say?"), TimeSpan.FromSeconds(90));

        var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
        Assert.Equal(AnswerStage.Refined, answer.Stage);
        Assert.True(answer.GlobalUncertainty > 0);
        Assert.True(answer.BytesLocal > 0);
        Assert.NotNull(answer.Roi);
        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_modelDirectory, recursive: true);
    }
}

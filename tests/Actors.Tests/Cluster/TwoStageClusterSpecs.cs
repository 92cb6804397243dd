using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Server;
using CollabVlm.Imaging;
using CollabVlm.Messages;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>The whole two-stage loop across a real cluster with the real model.</summary>
public sealed class TwoStageClusterSpecs(ReaderClusterFixture fixture) : IClassFixture<ReaderClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static (byte[] Jpeg, PixelRect TextBox, int Width, int Height) Frame(int width, int height, string text, int textHeight, int seed)
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(width, height, text, textHeight, seed));
        return (JpegEncoder.Encode(frame.Bitmap, 92).Bytes, frame.TextBox, width, height);
    }

    [Fact]
    public async Task Large_text_is_answered_from_the_global_pass()
    {
        var (jpeg, _, _, _) = Frame(2048, 1536, "EXIT 24", 48, seed: 1);
        var outcome = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(jpeg, "What does the sign say?"), Patience);

        var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
        Assert.Equal(AnswerStage.Global, answer.Stage);
        Assert.True(AnswerScoring.ExactMatch(answer.Text, ["EXIT 24"]), $"read '{answer.Text}'");
        Assert.True(answer.GlobalUncertainty <= answer.Threshold);
        Assert.Equal(0, answer.BytesLocal);
        Assert.InRange(answer.BytesGlobal, 1, 90_000);
    }

    [Fact]
    public async Task Small_text_triggers_retransmission_and_the_refined_answer_is_right()
    {
        // 14 px text in a 4000 px frame is ~3 px in the 768 px global image: unreadable there.
        var (jpeg, textBox, width, height) = Frame(4000, 3000, "NO PARKING", 14, seed: 3);
        var outcome = await fixture.Cluster.Devices[1].Ask<QueryOutcome>(new AskQuestion(jpeg, "What does the sign say?"), Patience);

        var answer = outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
        Assert.Equal(AnswerStage.Refined, answer.Stage);
        Assert.True(AnswerScoring.ExactMatch(answer.Text, ["NO PARKING"]), $"read '{answer.Text}'");
        Assert.True(answer.GlobalUncertainty > answer.Threshold, $"global H∞ {answer.GlobalUncertainty}");
        Assert.True(answer.Uncertainty <= answer.Threshold, $"refined H∞ {answer.Uncertainty}");
        Assert.True(answer.BytesLocal > 0);
        var roi = answer.Roi!;
        var (cx, cy) = ((textBox.X + textBox.Width / 2.0) / width, (textBox.Y + textBox.Height / 2.0) / height);
        Assert.True(cx >= roi.X0 && cx <= roi.X1 && cy >= roi.Y0 && cy <= roi.Y1, $"RoI {roi} misses the sign at ({cx:0.###}, {cy:0.###})");
    }

    [Fact]
    public async Task Corrupt_image_sent_over_tcp_fails_clearly_and_the_server_keeps_serving()
    {
        var edgeSystem = fixture.Cluster.Edges[0].Services.GetService(typeof(ActorSystem)) as ActorSystem;
        var serverAddress = Akka.Cluster.Cluster.Get(fixture.Cluster.ServerSystem).SelfAddress;
        var gateway = edgeSystem!.ActorSelection($"{serverAddress}/user/{QueryGateway.Name}");
        var id = QueryId.New();
        var corrupt = new SubmitQuery(id, new EdgeId("raw-client"), "What does the sign say?",
            new GlobalImage([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], 10, 10, 80, 100, 100), QueryOptions.Default);

        var reply = await gateway.Ask<QueryFailed>(corrupt, TimeSpan.FromSeconds(20));
        Assert.Equal((id, FailureReason.InvalidImage), (reply.QueryId, reply.Reason));
        Assert.Contains("unusable", reply.Message);

        var (jpeg, _, _, _) = Frame(2048, 1536, "OPEN", 40, seed: 5);
        var outcome = await fixture.Cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(jpeg, "What does the sign say?"), Patience);
        Assert.True(outcome.IsAnswered, $"failed: {outcome.Failed}");
    }
}

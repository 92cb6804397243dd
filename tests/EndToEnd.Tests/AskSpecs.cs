using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.EndToEnd.Tests;

/// <summary><c>collabvlm-edge ask</c> against a real <c>collabvlm-server</c> process over TCP loopback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AskSpecs(ClusterFixture cluster)
{
    private const string Question = "What does the sign say?";

    [Fact]
    public async Task Large_text_is_answered_from_the_global_image_and_always_policy_refines_it()
    {
        var image = cluster.Frames.Jpeg(TestFrames.LargeText, "exit24");

        var gated = await EdgeCli.AskAsync(cluster.Server.Address, image, Question);
        var report = AssertAnswered(gated, "EXIT 24");
        Assert.True(report.Stage == "Global", $"expected stage Global (the reader is sure of 48 px text), got {report.Stage}.\n{gated.Description}");
        Assert.True(report.BytesUp > 0 && report.BytesGlobal > 0, $"expected bytes up > 0.\n{gated.Description}");
        Assert.True(report.BytesLocal == 0, $"a global answer should send no local bytes.\n{gated.Description}");

        var always = await EdgeCli.AskAsync(cluster.Server.Address, image, Question, json: true, "--policy", "always");
        var refined = AssertAnswered(always, "EXIT 24");
        Assert.True(refined.Stage == "Refined", $"--policy always should retransmit and refine, got stage {refined.Stage}.\n{always.Description}");
        Assert.True(refined.BytesLocal > 0, $"expected local bytes > 0 with --policy always.\n{always.Description}");
        Assert.True(refined.BytesUp == refined.BytesGlobal + refined.BytesLocal, $"bytesUp should be global + local.\n{always.Description}");
    }

    [Fact]
    public async Task Small_text_in_a_large_frame_is_retransmitted_and_read_from_the_crop()
    {
        var image = cluster.Frames.Jpeg(TestFrames.SmallText, "noparking");

        var run = await EdgeCli.AskAsync(cluster.Server.Address, image, Question);
        var report = AssertAnswered(run, "NO PARKING");
        Assert.True(report.Stage == "Refined", $"14 px text in a 4000 px frame should need the crop, got stage {report.Stage}.\n{run.Description}");
        Assert.True(report.BytesLocal > 0 && report.Layers > 0, $"expected local bytes and layers.\n{run.Description}");
        Assert.True(report.GlobalUncertainty > report.Threshold, $"the gate retransmitted, so the global uncertainty should exceed η.\n{run.Description}");
        Assert.True(report.Roi is { Length: 4 }, $"a refined answer should carry its RoI.\n{run.Description}");
    }

    internal static AskReport AssertAnswered(AskRun run, string expected)
    {
        Assert.True(run.ExitCode == 0, $"ask should exit 0 (answered).\n{run.Description}");
        var report = run.Report();
        Assert.True(report.Answered, $"the report says not answered.\n{run.Description}");
        Assert.True(AnswerScoring.ExactMatch(report.Answer ?? "", [expected]), $"expected an answer matching \"{expected}\" (ignoring case and spaces), got \"{report.Answer}\".\n{run.Description}");
        return report;
    }
}

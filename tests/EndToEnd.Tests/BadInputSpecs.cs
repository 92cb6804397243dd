namespace CollabVlm.EndToEnd.Tests;

/// <summary>Bad input through the CLI: a clear message and exit code, and the server keeps serving.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BadInputSpecs(ClusterFixture cluster)
{
    private const string Question = "What does the sign say?";

    [Fact]
    public async Task Bad_images_and_questions_fail_clearly_and_the_server_keeps_serving()
    {
        var good = cluster.Frames.Jpeg(TestFrames.LargeText, "exit24");
        var bytes = await File.ReadAllBytesAsync(good);
        var truncated = cluster.Frames.WriteFile("truncated.jpg", bytes[..(bytes.Length / 3)]);

        var corrupt = await EdgeCli.AskAsync(cluster.Server.Address, truncated, Question, json: false);
        Assert.True(corrupt.ExitCode is not 0 and not 2 and not 3, $"a truncated JPEG should fail the query (exit 1).\n{corrupt.Description}");
        Assert.True(corrupt.AllOutput.Contains("InvalidImage", StringComparison.Ordinal) && corrupt.AllOutput.Contains("unusable", StringComparison.Ordinal),
            $"the message should name the problem (InvalidImage, \"unusable\").\n{corrupt.Description}");

        var missingPath = Path.Combine(cluster.Frames.Directory, "no-such-frame.jpg");
        var missing = await EdgeCli.AskAsync(cluster.Server.Address, missingPath, Question, json: false);
        Assert.True(missing.ExitCode == 2, $"a missing image file should exit 2 (bad arguments).\n{missing.Description}");
        Assert.True(missing.AllOutput.Contains("not found", StringComparison.OrdinalIgnoreCase) && missing.AllOutput.Contains("no-such-frame.jpg", StringComparison.Ordinal),
            $"the message should say which file was not found.\n{missing.Description}");

        var empty = await EdgeCli.AskAsync(cluster.Server.Address, good, "", json: true);
        Assert.True(empty.ExitCode != 0, $"an empty question should fail.\n{empty.Description}");
        Assert.True(empty.AllOutput.Contains("empty", StringComparison.OrdinalIgnoreCase), $"the message should say the question is empty.\n{empty.Description}");

        var after = await EdgeCli.AskAsync(cluster.Server.Address, good, Question);
        AskSpecs.AssertAnswered(after, "EXIT 24");
        Assert.False(cluster.Server.Process.HasExited, $"the server should still run.\n{cluster.Server.Process.Describe()}");
    }
}

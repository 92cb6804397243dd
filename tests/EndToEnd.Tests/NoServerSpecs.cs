namespace CollabVlm.EndToEnd.Tests;

/// <summary><c>ask</c> with nobody to answer: bounded by <c>--join-timeout</c>, exit code 3, a message saying so.</summary>
public sealed class NoServerSpecs : IDisposable
{
    private readonly TestFrames _frames = new();

    [Fact]
    public async Task Ask_without_a_server_gives_up_after_the_join_timeout_with_exit_code_3()
    {
        var image = _frames.Jpeg(TestFrames.LargeText, "exit24");
        var nobody = $"akka.tcp://collabvlm@127.0.0.1:{FreePort.Next()}";

        var run = await EdgeCli.AskAsync(nobody, image, "What does the sign say?", json: true, "--join-timeout", "00:00:03");

        Assert.True(run.ExitCode == 3, $"no server joined: ask should exit 3.\n{run.Description}");
        Assert.True(run.StandardError.Contains("'server'", StringComparison.Ordinal), $"stderr should say no server member came Up.\n{run.Description}");
        Assert.True(run.StandardOutput.Trim().Length == 0, $"stdout should stay empty when there is no report.\n{run.Description}");
    }

    public void Dispose() => _frames.Dispose();
}

namespace CollabVlm.EndToEnd.Tests;

/// <summary>Runs <c>collabvlm-edge ask</c> to completion against a server.</summary>
public static class EdgeCli
{
    /// <summary>Join timeout given to the CLI (unless <c>extra</c> names one), and the bound on the whole run (join + two passes + shutdown).</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    public static async Task<AskRun> AskAsync(string seed, string image, string question, bool json = true, params string[] extra)
    {
        List<string> arguments = ["ask", "--seed", seed, "--image", image, "--question", question];
        if (!extra.Contains("--join-timeout"))
            arguments.AddRange(["--join-timeout", JoinTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture)]);
        if (json) arguments.Add("--json");
        arguments.AddRange(extra);
        await using var process = ChildProcess.Start(Executables.Edge, arguments);
        var code = await process.WaitForExitAsync(RunTimeout);
        return new AskRun(code, process.StandardOutput, process.StandardError, process.Describe());
    }
}

using System.Diagnostics;

namespace CollabVlm.Bench.Chaos;

/// <summary>Runs a short system command (<c>ip</c>, <c>tc</c>, <c>kill</c>) and fails with its stderr when it fails.</summary>
public static class HostCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <exception cref="InvalidOperationException">The command exited non-zero or ran past 30 s; the message quotes it and its stderr.</exception>
    public static string Run(string file, params IEnumerable<string> arguments)
    {
        var (code, stdout, stderr, line) = TryRun(file, arguments);
        return code == 0 ? stdout : throw new InvalidOperationException($"`{line}` failed (exit {code}): {stderr.Trim()}");
    }

    public static (int Code, string Stdout, string Stderr, string CommandLine) TryRun(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var line = string.Join(' ', new[] { file }.Concat(info.ArgumentList));
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start `{line}`");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{line}` did not finish within {Limit.TotalSeconds:0} s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result, line);
    }
}

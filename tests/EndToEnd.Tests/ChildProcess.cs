using System.Diagnostics;
using System.Text;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>
/// One executable under test, run as <c>dotnet &lt;dll&gt; args…</c> with stdout and stderr captured.
/// Disposing kills the whole process tree if it is still running. Every wait takes a timeout.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _combined = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _newOutput = new(0);

    private ChildProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput { get { lock (_gate) return _stdout.ToString(); } }

    public string StandardError { get { lock (_gate) return _stderr.ToString(); } }

    /// <summary>stdout and stderr interleaved in arrival order.</summary>
    public string Output { get { lock (_gate) return _combined.ToString(); } }

    /// <summary>
    /// Starts <paramref name="dll"/>. The child gets this process's environment without any
    /// <c>COLLABVLM_</c> settings (so an outer shell cannot change what a test means), except the
    /// model and font folders, plus <paramref name="environment"/>.
    /// </summary>
    public static ChildProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Executables.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(dll);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("COLLABVLM_", StringComparison.Ordinal)).ToList())
            if (key is not ("COLLABVLM_MODEL_DIR" or "COLLABVLM_FONT_DIR")) info.Environment.Remove(key);
        // Plain log lines: no colour escapes in what the tests search and print.
        info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var commandLine = string.Join(' ', new[] { Path.GetFileName(dll) }.Concat(info.ArgumentList.Skip(1).Select(Quote)));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, commandLine);
        process.OutputDataReceived += (_, e) => child.Append(e.Data, child._stdout);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data, child._stderr);
        if (!process.Start()) throw new InvalidOperationException($"could not start {commandLine}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to end (its output read to the end) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{CommandLine} did not exit within {timeout.TotalSeconds:0} s (killed).\n{Describe()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Waits until the captured output satisfies <paramref name="ready"/>; fails when the process exits first or the time is up.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> ready, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ready(Output))
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(KillWait);
                if (ready(Output)) return;
                throw new InvalidOperationException($"{CommandLine} exited with code {_process.ExitCode} before {what}.\n{Describe()}");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"{CommandLine} did not show {what} within {timeout.TotalSeconds:0} s.\n{Describe()}");
            // Woken by each new line; the short cap also notices an exit with no further output.
            await _newOutput.WaitAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Kills the whole process tree (if still running) and waits, bounded, for it to go.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(KillWait);
        }
        catch (TimeoutException)
        {
            // Nothing more we can do; the failure that got us here says more than this would.
        }
    }

    /// <summary>What a failure message should show: the command, its exit status and everything it printed.</summary>
    public string Describe()
    {
        var status = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
        return $"--- {CommandLine} ({status}) ---\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}\n--- end ---";
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        _newOutput.Dispose();
    }

    private void Append(string? line, StringBuilder stream)
    {
        if (line is null) return;
        lock (_gate)
        {
            stream.AppendLine(line);
            _combined.AppendLine(line);
        }
        try
        {
            _newOutput.Release();
        }
        catch (ObjectDisposedException)
        {
            // A late line after disposal.
        }
    }

    private static string Quote(string argument) =>
        argument.Length == 0 || argument.Any(char.IsWhiteSpace) || argument.Contains('"') ? $"\"{argument.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : argument;
}

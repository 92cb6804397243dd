using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// One node of a chaos run: a real <c>collabvlm-server</c> or <c>collabvlm-edge serve</c> process (optionally inside a
/// network namespace), its output appended to <c>NAME.log</c>, its peak RSS over every incarnation read from /proc.
/// Signals go to the process itself; restarting runs the same command line again.
/// </summary>
public sealed partial class NodeProcess : IDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private Process? _process;
    private readonly string? _readyFile;
    private bool _ready;
    private bool _modelLoaded;
    private bool _joined;

    /// <param name="readyFile">An edge is ready once its cameras opened this file (their outcome log); its log level hides the line that says so.</param>
    public NodeProcess(string name, NodeRole role, string address, ProcessStartInfo start, string logPath, string? readyFile = null)
    {
        _readyFile = readyFile;
        Name = name;
        Role = role;
        Address = address;
        _start = start;
        _log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string Name { get; }

    public NodeRole Role { get; }

    /// <summary>Remoting host:port, as it appears in the cluster's log lines.</summary>
    public string Address { get; }

    /// <summary>Highest VmHWM seen in /proc over all incarnations, bytes.</summary>
    public long PeakRssBytes { get; private set; }

    public int Starts { get; private set; }

    /// <summary>The current (or last) incarnation's process id.</summary>
    public int? Pid => _process?.Id;

    public bool IsRunning => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The server logged its model loaded and itself Up; an edge's cameras started asking.</summary>
    public bool IsReady { get { lock (_gate) return _ready || (_readyFile is not null && File.Exists(_readyFile)); } }

    public void Start()
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is still running; kill it before starting it again");
        _process?.Dispose();  // the previous incarnation, if any: it has exited
        lock (_gate) _ready = _modelLoaded = _joined = false;
        var process = new Process { StartInfo = _start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"{Name}: could not start {_start.FileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        Append($"### {Name}: started pid {process.Id.ToString(CultureInfo.InvariantCulture)}: {_start.FileName} {string.Join(' ', _start.ArgumentList)}");
    }

    /// <summary>Sends a signal by name (KILL, TERM, STOP, CONT); nothing when the process is gone.</summary>
    public void Signal(string signal)
    {
        if (_process is not { HasExited: false } p) return;
        Append($"### {Name}: SIG{signal}");
        HostCommand.TryRun("kill", ["-s", signal, p.Id.ToString(CultureInfo.InvariantCulture)]);
    }

    /// <summary>Reads VmHWM (the kernel's own peak of resident memory) while the process lives.</summary>
    public void SamplePeakRss()
    {
        if (_process is not { HasExited: false } p) return;
        try
        {
            PeakRssBytes = Math.Max(PeakRssBytes, Memory.ProcessMemory.PeakResident(p.Id));
        }
        catch (IOException)
        {
            // Exited between the check and the read.
        }
    }

    /// <summary>SIGKILLs the process (stopped ones too) and waits, bounded, for it to go.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } p) return;
        try
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a SIGTERMed process to exit by itself, then kills it.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is not { } p) return null;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
            return p.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        lock (_gate) _log.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _log.WriteLine(line);
            if (Role == NodeRole.Edge) return;
            _modelLoaded |= ModelLoaded().IsMatch(line);
            // The first node moves itself to Up; a joining one is welcomed by the cluster (and made Up right after).
            _joined |= line.Contains($"{Address}] to [Up]", StringComparison.Ordinal) || line.Contains("Welcome from", StringComparison.Ordinal);
            _ready = _modelLoaded && _joined;
        }
    }

    [GeneratedRegex(@"model \S+ loaded", RegexOptions.CultureInvariant)]
    private static partial Regex ModelLoaded();
}

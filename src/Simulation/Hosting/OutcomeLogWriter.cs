namespace CollabVlm.Simulation.Hosting;

/// <summary>
/// Appends <see cref="OutcomeLine"/>s to a file, one flushed line each, so that whoever reads the file after this
/// process was killed sees every event that happened before the kill.
/// </summary>
public sealed class OutcomeLogWriter : IDisposable
{
    private readonly StreamWriter? _writer;
    private readonly Lock _gate = new();

    public OutcomeLogWriter(string? path)
    {
        if (path is null) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public void Write(OutcomeLine line)
    {
        if (_writer is null) return;
        var json = line.ToJson();
        lock (_gate) _writer.WriteLine(json);
    }

    public void Dispose()
    {
        lock (_gate) _writer?.Dispose();
    }
}

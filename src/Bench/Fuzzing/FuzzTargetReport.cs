namespace CollabVlm.Bench.Fuzzing;

/// <summary>What one target did with its share of the inputs.</summary>
public sealed class FuzzTargetReport(string name)
{
    public string Name { get; } = name;
    public long Inputs { get; set; }
    public long Accepted { get; set; }

    /// <summary>Documented errors by type (and, for images, kind), with how often each was seen.</summary>
    public SortedDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Undocumented exceptions: the first input of each type, its index and message.</summary>
    public List<FuzzCrash> Crashes { get; } = [];

    public long CrashCount { get; set; }

    /// <summary>The slowest single input, in milliseconds.</summary>
    public double SlowestMs { get; set; }
}

using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// A link-shaped run: for each rate in <see cref="Rates"/> a fresh edge process asks questions over its tbf-shaped veth
/// for <see cref="Phase"/>, then the link drops by <see cref="DropFactor"/> for another <see cref="Phase"/>.
/// </summary>
public sealed record LinkShapedOptions
{
    /// <summary>Shaped rates of the first phase of each step, bits per second.</summary>
    public IReadOnlyList<long> Rates { get; init; } = [1_000_000, 10_000_000];

    /// <summary>The second phase runs at rate / this (4 = a 4× drop; 1 = no change).</summary>
    public double DropFactor { get; init; } = 4;

    /// <summary>Length of each phase. The estimate is read over its last half.</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The camera asks its next question this long after the previous one ended.</summary>
    public TimeSpan AskInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The server's η. 0 retransmits every answer that is not certain, so nearly every question uploads local layers too.</summary>
    public double Threshold { get; init; }

    /// <summary>Largest |estimate − shaped rate| / shaped rate a phase may end with before the run fails (exit code 1).</summary>
    public double MaxError { get; init; } = 0.15;

    /// <summary>Distinct frames rendered before the run; the camera cycles through them.</summary>
    public int Frames { get; init; } = 8;

    public required string Output { get; init; }
    public required string ServerDll { get; init; }
    public required string EdgeDll { get; init; }
    public string? ModelDir { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How often the edge's /metrics are read (each read runs curl inside the edge's namespace).</summary>
    public TimeSpan EstimateEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the edge's veth byte counter is read (a file read, cheap).</summary>
    public TimeSpan CounterEvery { get; init; } = TimeSpan.FromMilliseconds(100);

    public string? Problem()
    {
        if (Rates.Count == 0) return "give at least one --rate";
        if (Rates.Any(r => r < 8_000)) return "every --rate must be at least 8kbit";
        if (!(DropFactor >= 1) || double.IsInfinity(DropFactor)) return $"--drop-factor must be a finite number ≥ 1 (got {DropFactor})";
        if (Phase < TimeSpan.FromSeconds(4)) return "--phase must be at least 4 s";
        if (AskInterval < TimeSpan.Zero) return "--ask-every must not be negative";
        if (Deadline < TimeSpan.FromSeconds(1)) return "--deadline must be at least 1 s";
        if (double.IsNaN(Threshold) || Threshold < 0) return $"--threshold must be ≥ 0 (got {Threshold})";
        if (!(MaxError > 0)) return $"--max-error must be positive (got {MaxError})";
        if (Frames < 1) return "--frames must be at least 1";
        if (!File.Exists(ServerDll)) return $"collabvlm-server not found at {ServerDll} (build src/ServerNode or pass --server-dll)";
        if (!File.Exists(EdgeDll)) return $"collabvlm-edge not found at {EdgeDll} (build src/EdgeNode or pass --edge-dll)";
        return null;
    }

    /// <summary>The phases in the order they run: each rate, then it divided by the drop factor.</summary>
    public IReadOnlyList<(int Step, long BitsPerSecond)> Schedule() =>
        Rates.SelectMany((r, i) => new[] { (i, r), (i, (long)Math.Round(r / DropFactor)) }).ToList();

    public static string RateName(long bitsPerSecond) => LinkShape.FormatRate(bitsPerSecond);
}

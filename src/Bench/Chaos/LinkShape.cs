using System.Globalization;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// What the kernel does to one node's link (both directions): a rate (null = unlimited), a one-way
/// delay and a loss percentage. Written <c>RATE[,DELAY[,LOSS%]]</c>, e.g. <c>10mbit,25ms,0.1%</c>.
/// </summary>
public sealed record LinkShape(long? BitsPerSecond, TimeSpan Delay, double LossPercent)
{
    public static LinkShape Unshaped { get; } = new(null, TimeSpan.Zero, 0);

    /// <exception cref="FormatException">Names the part that is not a rate, a delay or a percentage.</exception>
    public static LinkShape Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 3) throw new FormatException($"link shape '{text}': expected RATE[,DELAY[,LOSS%]], e.g. 10mbit,25ms,0.1%");
        long? rate = parts[0] is "" or "unlimited" ? null : ParseRate(parts[0]) ?? throw new FormatException($"link shape '{text}': '{parts[0]}' is not a rate such as 250kbit or 10mbit");
        var delay = parts.Length > 1 ? FaultSchedule.Duration(parts[1], text) : TimeSpan.Zero;
        var loss = 0.0;
        if (parts.Length > 2 && !(parts[2].EndsWith('%') && double.TryParse(parts[2][..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out loss) && loss is >= 0 and <= 100))
            throw new FormatException($"link shape '{text}': '{parts[2]}' is not a loss percentage such as 0.5%");
        return new LinkShape(rate, delay, loss);
    }

    /// <summary><c>8000bit</c>, <c>250kbit</c>, <c>10mbit</c>, <c>1gbit</c> (decimal prefixes, as tc reads them); null if not one.</summary>
    public static long? ParseRate(string text)
    {
        var lower = text.ToLowerInvariant();
        foreach (var (suffix, factor) in new[] { ("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3), ("bit", 1.0) })
        {
            if (!lower.EndsWith(suffix, StringComparison.Ordinal)) continue;
            return double.TryParse(lower[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                ? (long)Math.Round(value * factor)
                : null;
        }
        return null;
    }

    public static string FormatRate(long bitsPerSecond) => bitsPerSecond switch
    {
        >= 1_000_000 => $"{(bitsPerSecond / 1e6).ToString("0.###", CultureInfo.InvariantCulture)} Mbit/s",
        >= 1_000 => $"{(bitsPerSecond / 1e3).ToString("0.###", CultureInfo.InvariantCulture)} kbit/s",
        _ => $"{bitsPerSecond} bit/s",
    };

    public bool IsUnshaped => BitsPerSecond is null && Delay == TimeSpan.Zero && LossPercent == 0;

    /// <summary>
    /// The arguments after <c>tc qdisc replace dev DEV root</c>: a token bucket (tbf) for a rate alone, netem when there
    /// is a delay or loss (netem is a kernel module some kernels lack; tbf is nearly always there).
    /// </summary>
    public IReadOnlyList<string> QdiscArguments()
    {
        if (Delay == TimeSpan.Zero && LossPercent == 0)
        {
            var rate = BitsPerSecond ?? 10_000_000_000;
            // Burst: 10 ms of the rate but at least two full frames (tbf needs one); a queue of half a second of the rate,
            // at least 64 KiB, so TCP meets the rate rather than a tail-drop cliff.
            var burst = Math.Max(rate / 8 / 100, 3028);
            var limit = Math.Max(rate / 8 / 2, 65536);
            return ["tbf", "rate", $"{rate}bit", "burst", Text(burst), "limit", Text(limit)];
        }
        var args = new List<string> { "netem", "limit", "10000" };
        if (Delay > TimeSpan.Zero) args.AddRange(["delay", $"{Delay.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms"]);
        if (LossPercent > 0) args.AddRange(["loss", $"{LossPercent.ToString("0.###", CultureInfo.InvariantCulture)}%"]);
        if (BitsPerSecond is { } r) args.AddRange(["rate", $"{r}bit"]);
        return args;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() =>
        IsUnshaped ? "unshaped" : $"{(BitsPerSecond is { } r ? FormatRate(r) : "unlimited")}, {Delay.TotalMilliseconds:0} ms, {LossPercent:0.###} % loss";
}

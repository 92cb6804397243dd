using System.Globalization;
using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// Reads, from outside, what one edge process in a network namespace believes about its link and what it really sent:
/// its /metrics page (through <c>curl</c> run inside the namespace, where its HTTP endpoint listens on loopback) and
/// its veth's transmit counter (from <c>/proc/PID/net/dev</c>, which shows the process's own namespace's devices, so
/// reading it needs no command at all).
/// </summary>
public sealed class EdgeLinkProbe(string ns, int httpPort, string device = "eth0")
{
    public const string ThroughputMetric = "collabvlm_edge_link_throughput_bytes_per_second";
    public const string RoundTripMetric = "collabvlm_edge_link_rtt_seconds";
    public const string ConfidenceMetric = "collabvlm_edge_link_confidence";

    /// <summary>Null when curl can be run inside namespaces, else why not.</summary>
    public static string? WhyUnavailable()
    {
        try
        {
            var (code, _, stderr, line) = HostCommand.TryRun("curl", ["--version"]);
            return code == 0 ? null : $"`{line}` failed: {stderr.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"`curl` is not available (it reads the edge's /metrics inside its namespace): {e.Message}";
        }
    }

    /// <summary>The edge's estimate now; all null while its page has no link series yet or it does not answer.</summary>
    public async Task<EstimateReading> ReadEstimateAsync(CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var url = $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/metrics";
        var (code, page, _, _) = await Task.Run(() => HostCommand.TryRun("ip", ["netns", "exec", ns, "curl", "-sf", "--max-time", "3", url]), cancellationToken);
        if (code != 0) return new EstimateReading(at, null, null, null);
        return new EstimateReading(at, PrometheusText.FirstValue(page, ThroughputMetric), PrometheusText.FirstValue(page, RoundTripMetric),
            PrometheusText.FirstValue(page, ConfidenceMetric));
    }

    /// <summary>The device's transmit bytes, or null when the process is gone.</summary>
    public CounterReading? ReadCounter(int pid)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            return TxBytes(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/net/dev"), device) is { } bytes ? new CounterReading(at, bytes) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The transmit-bytes column of <paramref name="device"/>'s row in a <c>/proc/net/dev</c> table; null when it has no row.</summary>
    public static long? TxBytes(string table, string device)
    {
        foreach (var line in table.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || line[..colon].Trim() != device) continue;
            // Receive: bytes packets errs drop fifo frame compressed multicast; then transmit: bytes …
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 8 && long.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var tx) ? tx : null;
        }
        return null;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.LinkShaped;

/// <summary>Writes a link-shaped run's <c>report.md</c> and <c>results.json</c>.</summary>
public static class LinkShapedReport
{
    public static void Write(string folder, LinkShapedResults results, string commandLine)
    {
        File.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(results, ChaosReport.Json));
        File.WriteAllText(Path.Combine(folder, "report.md"), Markdown(results, commandLine));
    }

    public static string Markdown(LinkShapedResults r, string commandLine)
    {
        var md = new StringBuilder();
        var worst = r.Phases.Select(p => p.Error is { } e ? Math.Abs(e) : double.PositiveInfinity).DefaultIfEmpty(double.PositiveInfinity).Max();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Link estimator on tbf-shaped links: {(r.ExitCode == 0 ? "every phase" : "**not every phase**")} within {r.MaxError:P0} (worst {(double.IsInfinity(worst) ? "no estimate" : worst.ToString("0.0%", CultureInfo.InvariantCulture))} off)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{commandLine}`");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- one server, one edge process with one camera, each in its own network namespace; the edge's veth shaped by tbf on both ends");
        md.AppendLine(CultureInfo.InvariantCulture, $"- each rate runs {r.PhaseSeconds:0} s, then drops {r.DropFactor:0.##}× for another {r.PhaseSeconds:0} s; a fresh edge (and estimator) per rate");
        md.AppendLine(CultureInfo.InvariantCulture, $"- the camera asks {r.AskIntervalSeconds:0.##} s after each answer, deadline {r.DeadlineSeconds:0.#} s; server η = {r.Threshold:0.##} bits");
        md.AppendLine("- estimate: median of the edge's `" + EdgeLinkProbe.ThroughputMetric + "` over the phase's last half (read every second);");
        md.AppendLine(CultureInfo.InvariantCulture, $"  *to within {r.MaxError:P0}*: from the phase's start (the edge ready, or the rate change) to the first reading within it");
        md.AppendLine(CultureInfo.InvariantCulture, $"- utilization: bytes the edge's veth sent in the 100-ms intervals it was uploading (≥ {LinkPhaseAnalysis.UploadingShare:P0} of the link) / (their length × the shaped rate)");
        md.AppendLine();
        md.AppendLine("| shaped | estimate | error | to within | RTT est. | confidence | utilization | uploading | sent | asked | refined | failed |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in r.Phases)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {(p.AfterDrop ? "→ " : "")}{LinkShapedOptions.RateName(p.ShapedBitsPerSecond)} | {Mbit(p.EstimateBitsPerSecond)} | {Percent(p.Error)} | {Seconds(p.SecondsToTarget)} | {Number(p.RoundTripMs, "0")} ms | {Number(p.Confidence, "0.00")} | {Share(p.Utilization)} | {p.UploadingSeconds:0.0} s | {p.SentBytes / 1e6:0.00} MB | {p.Asked} | {p.Refined} | {p.Failed} |");
        return md.ToString();
    }

    /// <summary>One phase on one line, for progress output.</summary>
    public static string Line(LinkPhase p) => string.Create(CultureInfo.InvariantCulture,
        $"{(p.AfterDrop ? "after the drop, " : "")}{LinkShapedOptions.RateName(p.ShapedBitsPerSecond)}: estimate {Mbit(p.EstimateBitsPerSecond)} ({Percent(p.Error)}), within target after {Seconds(p.SecondsToTarget)}, utilization {Share(p.Utilization)}, {p.Asked} asked, {p.Refined} refined");

    private static string Mbit(double? bitsPerSecond) => bitsPerSecond is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e6:0.000} Mbit/s") : "none";

    private static string Percent(double? value) => value?.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture) ?? "–";

    private static string Share(double? value) => value?.ToString("0%", CultureInfo.InvariantCulture) ?? "–";

    private static string Seconds(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0} s") : "never";

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}

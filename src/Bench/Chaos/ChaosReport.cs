using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CollabVlm.Bench.Chaos;

/// <summary>Writes a chaos run's <c>report.md</c> and <c>results.json</c>.</summary>
public static class ChaosReport
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(string folder, ChaosResults results, string commandLine)
    {
        File.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(results, Json));
        File.WriteAllText(Path.Combine(folder, "report.md"), Markdown(results, commandLine));
    }

    public static string Markdown(ChaosResults r, string commandLine)
    {
        var t = r.Tally;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Chaos run: {(r.ExitCode == 0 ? "no question lost" : $"{t.Lost} lost, {t.Duplicates} duplicate(s)")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{commandLine}`");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- {r.Servers} server(s), {r.Edges} edge node(s) × {r.CamerasPerEdge} camera(s), {r.QuestionsPerCamera} question(s) per camera, one every {r.AskIntervalSeconds:0.##} s, deadline {r.DeadlineSeconds:0.#} s");
        md.AppendLine(CultureInfo.InvariantCulture, $"- network: {r.Network}; edge links {r.EdgeLink}; server links {r.ServerLink}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- workload ran {r.WorkloadSeconds:0} s ({(r.WorkloadSeconds > 0 ? r.Tally.Answered / r.WorkloadSeconds : 0):0.00} answered/s); {(r.SettledInTime ? "every question ended or could no longer end" : "**stopped at the time limit with questions still open**")}");
        md.AppendLine();
        md.AppendLine("| questions | count | share of asked |");
        md.AppendLine("|---|---:|---:|");
        void Row(string what, int count) => md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {count} | {(t.Asked == 0 ? 0 : (double)count / t.Asked):P1} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| expected | {t.Expected} | |");
        Row("asked", t.Asked);
        Row("answered", t.Answered);
        foreach (var (stage, count) in t.AnsweredByStage) Row($"&nbsp;&nbsp;{stage}", count);
        Row("failed", t.Failed);
        foreach (var (reason, count) in t.FailedByReason) Row($"&nbsp;&nbsp;{reason}", count);
        Row("**lost**", t.Lost);
        Row("&nbsp;&nbsp;no outcome line", t.LostWithoutLine);
        Row("&nbsp;&nbsp;device never replied", t.LostDeviceSilent);
        Row("duplicate outcomes", t.Duplicates);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Latency at the edge (answered and failed): p50 {t.LatencyP50Ms / 1000:0.0} s, p95 {t.LatencyP95Ms / 1000:0.0} s, p99 {t.LatencyP99Ms / 1000:0.0} s, max {t.LatencyMaxMs / 1000:0.0} s.");
        md.AppendLine();
        md.AppendLine("| node | role | starts | peak RSS MiB | exit code |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var n in r.Nodes) md.AppendLine(CultureInfo.InvariantCulture, $"| {n.Name} | {n.Role} | {n.Starts} | {n.PeakRssMiB:0} | {(n.ExitCode is { } c ? c.ToString(CultureInfo.InvariantCulture) : "running at the end")} |");
        md.AppendLine();
        md.AppendLine("Faults (seconds after the edges started):");
        md.AppendLine();
        if (r.Faults.Count == 0) md.AppendLine("- none");
        foreach (var f in r.Faults) md.AppendLine(CultureInfo.InvariantCulture, $"- {f.At.TotalSeconds:0.0} s — {f.What}");
        if (t.LostQuestions.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Lost questions (edge/pid/camera-n): {string.Join(", ", t.LostQuestions)}");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![timeline]({ChaosTimelineChart.File})");
        return md.ToString();
    }
}

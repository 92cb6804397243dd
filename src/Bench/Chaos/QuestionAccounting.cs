using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Bench.Chaos;

/// <summary>Turns the edges' outcome logs into a <see cref="ChaosTally"/> (plain: no processes, no clock).</summary>
public static class QuestionAccounting
{
    private const int ListedLost = 50;

    /// <param name="logs">Each edge node's outcome lines, by node name (question names are unique within a node).</param>
    /// <param name="expected">Questions the run meant to ask in all.</param>
    /// <param name="startMs">Unix ms of the workload's start: second 0 of the timeline.</param>
    public static ChaosTally Tally(IReadOnlyDictionary<string, IReadOnlyList<OutcomeLine>> logs, int expected, long startMs)
    {
        var asked = new Dictionary<string, OutcomeLine>(StringComparer.Ordinal);
        var ended = new Dictionary<string, List<OutcomeLine>>(StringComparer.Ordinal);
        foreach (var (node, lines) in logs)
        {
            foreach (var line in lines)
            {
                var key = $"{node}/{line.Question}";
                if (line.Event == OutcomeLine.Asked) asked.TryAdd(key, line);
                else if (line.Event == OutcomeLine.Ended) (ended.TryGetValue(key, out var list) ? list : ended[key] = []).Add(line);
            }
        }

        var byStage = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var latencies = new List<double>();
        var timeline = new SortedDictionary<int, int[]>();
        int Second(long ms) => (int)Math.Max(0, (ms - startMs) / 1000);
        void Count(long ms, int column) => (timeline.TryGetValue(Second(ms), out var row) ? row : timeline[Second(ms)] = new int[3])[column]++;

        int answered = 0, failed = 0, withoutLine = 0, silent = 0, duplicates = 0;
        var lost = new List<string>();
        foreach (var (key, question) in asked.OrderBy(p => p.Value.AtMs))
        {
            var outcome = ended.TryGetValue(key, out var list) ? list[0] : null;
            duplicates += Math.Max(0, (list?.Count ?? 0) - 1);
            switch (outcome?.Outcome)
            {
                case OutcomeLine.Answered:
                    answered++;
                    Increment(byStage, outcome.Stage ?? "unknown");
                    Count(outcome.AtMs, 0);
                    break;
                case OutcomeLine.Failed:
                    failed++;
                    Increment(byReason, outcome.Reason ?? "unknown");
                    Count(outcome.AtMs, 1);
                    break;
                default:
                    if (outcome is null) withoutLine++;
                    else silent++;
                    lost.Add(key);
                    Count(question.AtMs, 2);
                    break;
            }
            if (outcome is { Outcome: OutcomeLine.Answered or OutcomeLine.Failed, LatencyMs: { } ms }) latencies.Add(ms);
        }
        latencies.Sort();
        var seconds = timeline.Count == 0 ? 0 : timeline.Keys.Max() + 1;
        var rows = Enumerable.Range(0, seconds)
            .Select(s => timeline.TryGetValue(s, out var r) ? new TimelineSecond(s, r[0], r[1], r[2]) : new TimelineSecond(s, 0, 0, 0))
            .ToList();
        return new ChaosTally(expected, asked.Count, answered, failed, lost.Count, duplicates, byStage, byReason,
            withoutLine, silent, ended.Keys.Count(k => !asked.ContainsKey(k)),
            Percentiles.NearestRank(latencies, 0.50), Percentiles.NearestRank(latencies, 0.95), Percentiles.NearestRank(latencies, 0.99),
            latencies.Count == 0 ? 0 : latencies[^1], rows, lost.Take(ListedLost).ToList());
    }

    /// <summary>Reads an outcome log, skipping a torn last line (its writer was killed mid-line).</summary>
    public static IReadOnlyList<OutcomeLine> Read(string path) =>
        File.Exists(path) ? File.ReadLines(path).Select(OutcomeLine.Parse).OfType<OutcomeLine>().ToList() : [];

    private static void Increment(SortedDictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}

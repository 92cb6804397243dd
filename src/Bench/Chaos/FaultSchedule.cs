using System.Globalization;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Parses <c>--fault</c> values: <c>AT ACTION TARGETS [| OTHERS] [for DURATION] [RATE]</c>, e.g.
/// <c>60s kill server1</c>, <c>60s term server1</c>, <c>60s stop server1 for 20s</c>, <c>90s restart server1</c>,
/// <c>60s partition edges | servers for 30s</c>, <c>60s rate edge0 250kbit</c>. TARGETS is a comma-separated list of
/// node names or the groups <c>servers</c>, <c>edges</c>; AT and DURATION take <c>ms</c>, <c>s</c> or <c>m</c>.
/// </summary>
public static class FaultSchedule
{
    public static IReadOnlyList<Fault> Parse(IEnumerable<string> specs, IReadOnlyList<string> servers, IReadOnlyList<string> edges) =>
        specs.Select(s => ParseOne(s, servers, edges)).OrderBy(f => f.At).ToList();

    /// <exception cref="FormatException">The fault is malformed or names an unknown node; the message says which part.</exception>
    public static Fault ParseOne(string spec, IReadOnlyList<string> servers, IReadOnlyList<string> edges)
    {
        var words = spec.Replace("|", " | ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (words.Count < 3) throw Bad(spec, "expected AT ACTION TARGETS, e.g. \"60s kill server1\"");
        var at = Duration(words[0], spec);
        var kind = words[1].ToLowerInvariant() switch
        {
            "kill" => FaultKind.Kill,
            "term" => FaultKind.Term,
            "stop" or "pause" => FaultKind.Pause,
            "restart" => FaultKind.Restart,
            "partition" => FaultKind.Partition,
            "rate" => FaultKind.Rate,
            var other => throw Bad(spec, $"unknown action '{other}' (kill, term, stop, restart, partition, rate)"),
        };
        var rest = words.Skip(2).ToList();
        TimeSpan? duration = null;
        var forAt = rest.FindIndex(w => w.Equals("for", StringComparison.OrdinalIgnoreCase));
        if (forAt >= 0)
        {
            if (forAt != rest.Count - 2) throw Bad(spec, "'for DURATION' must come last");
            duration = Duration(rest[^1], spec);
            rest = rest[..forAt];
        }
        long? rate = null;
        if (kind == FaultKind.Rate)
        {
            if (rest.Count < 2) throw Bad(spec, "a rate change needs TARGETS RATE, e.g. \"60s rate edge0 250kbit\"");
            rate = LinkShape.ParseRate(rest[^1]) ?? throw Bad(spec, $"'{rest[^1]}' is not a rate such as 250kbit or 10mbit");
            rest = rest[..^1];
        }
        var bar = rest.IndexOf("|");
        var targets = Names(string.Join("", bar >= 0 ? rest[..bar] : rest), servers, edges, spec);
        var others = bar >= 0 ? Names(string.Join("", rest[(bar + 1)..]), servers, edges, spec) : [];
        switch (kind)
        {
            case FaultKind.Partition when others.Count == 0:
                throw Bad(spec, "a partition needs two sides: TARGETS | OTHERS");
            case FaultKind.Partition when targets.Intersect(others).Any():
                throw Bad(spec, "a node cannot be on both sides of a partition");
            case FaultKind.Partition or FaultKind.Pause when duration is null:
                throw Bad(spec, $"{words[1]} needs 'for DURATION' (it heals afterwards)");
            case not (FaultKind.Partition or FaultKind.Pause) when duration is not null:
                throw Bad(spec, $"{words[1]} takes no duration");
            case not FaultKind.Partition when bar >= 0:
                throw Bad(spec, "only a partition has two sides");
        }
        return new Fault(at, kind, targets, others, duration, rate);
    }

    /// <summary><c>500ms</c>, <c>20s</c>, <c>1.5s</c>, <c>2m</c>.</summary>
    public static TimeSpan Duration(string text, string spec)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, double.NaN);
        if (double.IsNaN(unit) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw Bad(spec, $"'{text}' is not a duration such as 500ms, 20s or 2m");
        return TimeSpan.FromSeconds(value * unit);
    }

    private static List<string> Names(string list, IReadOnlyList<string> servers, IReadOnlyList<string> edges, string spec)
    {
        var names = new List<string>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == "servers") names.AddRange(servers);
            else if (name == "edges") names.AddRange(edges);
            else if (servers.Contains(name) || edges.Contains(name)) names.Add(name);
            else throw Bad(spec, $"unknown node '{name}' (nodes: {string.Join(", ", servers.Concat(edges))}; groups: servers, edges)");
        }
        if (names.Count == 0) throw Bad(spec, "no target nodes");
        return names.Distinct().ToList();
    }

    private static FormatException Bad(string spec, string why) => new($"--fault \"{spec}\": {why}");
}

using System.Globalization;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// One scheduled fault: at <paramref name="At"/> after the workload started, <paramref name="Kind"/> hits the
/// <paramref name="Targets"/> (node names). A partition cuts them from <paramref name="Others"/>; a pause or partition
/// lasts <paramref name="Duration"/>; a rate change sets <paramref name="BitsPerSecond"/>.
/// </summary>
public sealed record Fault(TimeSpan At, FaultKind Kind, IReadOnlyList<string> Targets, IReadOnlyList<string> Others, TimeSpan? Duration = null, long? BitsPerSecond = null)
{
    /// <summary>What it does, names expanded (the time is the event's), for reports and the timeline.</summary>
    public string Describe()
    {
        var what = Kind switch
        {
            FaultKind.Partition => $"partition {string.Join(',', Targets)} | {string.Join(',', Others)}",
            FaultKind.Rate => $"rate {string.Join(',', Targets)} {LinkShape.FormatRate(BitsPerSecond ?? 0)}",
            _ => $"{Kind.ToString().ToLowerInvariant()} {string.Join(',', Targets)}",
        };
        var lasting = Duration is { } d ? $" for {d.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : "";
        return what + lasting;
    }

    /// <summary>Whether carrying it out needs each node in its own network namespace.</summary>
    public bool NeedsNamespaces => Kind is FaultKind.Partition or FaultKind.Rate;
}

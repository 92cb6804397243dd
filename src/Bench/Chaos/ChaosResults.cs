namespace CollabVlm.Bench.Chaos;

/// <summary>What <c>results.json</c> holds: the run's shape, what was done to it, and how every question ended.</summary>
public sealed record ChaosResults(
    string Network, int Servers, int Edges, int CamerasPerEdge, int QuestionsPerCamera, double AskIntervalSeconds, double DeadlineSeconds,
    string EdgeLink, string ServerLink, IReadOnlyList<FaultEvent> Faults, IReadOnlyList<NodeSummary> Nodes, ChaosTally Tally,
    double WorkloadSeconds, bool SettledInTime)
{
    /// <summary>The bench's exit code: 0 only when no question was lost and none ended twice.</summary>
    public int ExitCode => Tally.Lost > 0 || Tally.Duplicates > 0 ? 1 : 0;
}

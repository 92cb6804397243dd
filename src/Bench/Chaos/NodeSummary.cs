namespace CollabVlm.Bench.Chaos;

/// <summary>One node after the run: how often it was started, its peak RSS over every incarnation, and its exit code if it ended on its own.</summary>
public sealed record NodeSummary(string Name, string Role, int Starts, double PeakRssMiB, int? ExitCode);

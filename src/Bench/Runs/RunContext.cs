namespace CollabVlm.Bench.Runs;

/// <summary>How a run was made: what the report states beside its figures.</summary>
public sealed record RunContext(string DatasetFolder, int Planned, bool Interrupted, double Threshold, int Seed, bool Direct, string Link, string Model);

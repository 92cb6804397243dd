namespace CollabVlm.NodeDefaults.Downing;

/// <summary>What the decider of a side (its lowest reachable address) downs, and why.</summary>
public sealed record DowningPlan(string Decider, DowningDecision Decision, IReadOnlyList<string> Down, IReadOnlyList<string> IndirectlyConnected);

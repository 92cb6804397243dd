namespace CollabVlm.NodeDefaults.Downing;

/// <summary>One side of a split as a node sees it: how many members, and how many of them are servers.</summary>
/// <param name="LowestAddress">The side holds the member with the lowest address (the last tie-break).</param>
public sealed record ClusterSide(int Servers, int Members, bool LowestAddress);

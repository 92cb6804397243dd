namespace CollabVlm.NodeDefaults.Downing;

/// <summary>The cluster's reachability table, one entry: <paramref name="Observer"/> cannot reach <paramref name="Subject"/> (addresses).</summary>
public sealed record UnreachableRecord(string Observer, string Subject);

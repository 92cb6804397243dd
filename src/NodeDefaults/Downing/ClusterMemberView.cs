namespace CollabVlm.NodeDefaults.Downing;

/// <summary>A member as the downing rule needs it: its address (ordered as Akka orders addresses) and whether it is a server.</summary>
public sealed record ClusterMemberView(string Address, bool IsServer);

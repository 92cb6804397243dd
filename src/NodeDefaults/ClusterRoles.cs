namespace CollabVlm.NodeDefaults;

/// <summary>The two cluster roles.</summary>
public static class ClusterRoles
{
    public const string Server = "server";
    public const string Edge = "edge";
}

namespace CollabVlm.NodeDefaults;

/// <summary>Tags that sort health checks into the liveness and readiness endpoints.</summary>
public static class HealthTags
{
    /// <summary>Restart the pod when unhealthy: the ActorSystem stopped.</summary>
    public const string Live = "live";

    /// <summary>Send no work yet: not joined to the cluster, or (servers) the model is not loaded.</summary>
    public const string Ready = "ready";
}

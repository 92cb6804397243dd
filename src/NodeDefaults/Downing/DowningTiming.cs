namespace CollabVlm.NodeDefaults.Downing;

/// <summary>Where the reachability table stands for the downing actor (see <see cref="InstabilityWatch"/>).</summary>
public enum DowningTiming
{
    /// <summary>Nothing unreachable.</summary>
    Idle,

    /// <summary>Something unreachable; the table has not held still for the stable time yet.</summary>
    Wait,

    /// <summary>The table held still for the stable time: decide side by side.</summary>
    Stable,

    /// <summary>The table kept changing past the stable time plus the margin: down every member.</summary>
    Unstable,
}

namespace CollabVlm.Bench.Chaos;

/// <summary>Where a chaos run's nodes talk to each other.</summary>
public enum ChaosNetwork
{
    /// <summary>Namespaces when this process may create them, else loopback.</summary>
    Auto,

    /// <summary>All nodes on 127.0.0.1, distinct ports: kills, stops and restarts only.</summary>
    Loopback,

    /// <summary>Each node in its own network namespace behind a shaped veth: every fault kind.</summary>
    Namespaces,
}

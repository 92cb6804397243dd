namespace CollabVlm.Bench.Chaos;

/// <summary>What a scheduled fault does to its targets.</summary>
public enum FaultKind
{
    /// <summary>SIGKILL: the process dies without leaving the cluster.</summary>
    Kill,

    /// <summary>SIGTERM: the process is asked to stop (a Kubernetes scale-down or rolling update).</summary>
    Term,

    /// <summary>SIGSTOP, then SIGCONT after the duration: a process that hangs (GC pause, starved VM) and comes back.</summary>
    Pause,

    /// <summary>Started again with its first command line (killed first if still running).</summary>
    Restart,

    /// <summary>The targets cannot reach the others (and back) until the duration is over; needs network namespaces.</summary>
    Partition,

    /// <summary>The targets' links change to a new rate (both directions); needs network namespaces.</summary>
    Rate,
}

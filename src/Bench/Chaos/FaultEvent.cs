namespace CollabVlm.Bench.Chaos;

/// <summary>Something the fault injector did, <paramref name="At"/> after the workload started (a fault, or its healing).</summary>
public sealed record FaultEvent(TimeSpan At, string What);

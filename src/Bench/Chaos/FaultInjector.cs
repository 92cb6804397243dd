using System.Diagnostics;

namespace CollabVlm.Bench.Chaos;

/// <summary>
/// Carries out a fault schedule on a running <see cref="ChaosCluster"/>, each fault at its time after the workload
/// started, and records what it did and when. Pauses and partitions heal on their own after their duration.
/// </summary>
public sealed class FaultInjector(ChaosCluster cluster, IReadOnlyList<Fault> faults, Stopwatch clock)
{
    private readonly List<FaultEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<FaultEvent> Events { get { lock (_gate) return _events.OrderBy(e => e.At).ToList(); } }

    /// <summary>Whether a node will be started again later (so its silence now does not end the run).</summary>
    public bool RestartsLater(string node) => faults.Any(f => f.Kind == FaultKind.Restart && f.Targets.Contains(node) && f.At > clock.Elapsed);

    /// <summary>When the last fault (and its healing) is done.</summary>
    public TimeSpan End => faults.Count == 0 ? TimeSpan.Zero : faults.Max(f => f.At + (f.Duration ?? TimeSpan.Zero));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var healing = new List<Task>();
        foreach (var fault in faults)
        {
            await WaitUntil(fault.At, cancellationToken);
            Apply(fault);
            // Counted from when the fault took effect: on a loaded machine the ip/tc commands themselves take a while.
            if (fault.Duration is { } d) healing.Add(HealAsync(fault, clock.Elapsed + d, cancellationToken));
        }
        await Task.WhenAll(healing);
    }

    private async Task HealAsync(Fault fault, TimeSpan at, CancellationToken cancellationToken)
    {
        await WaitUntil(at, cancellationToken);
        if (fault.Kind == FaultKind.Pause) foreach (var node in fault.Targets) cluster[node].Signal("CONT");
        else cluster.Network!.Heal(fault.Targets, fault.Others);
        Record($"healed: {fault.Describe()}");
    }

    private void Apply(Fault fault)
    {
        foreach (var name in fault.Targets)
        {
            var node = cluster[name];
            switch (fault.Kind)
            {
                case FaultKind.Kill: node.Signal("KILL"); break;
                case FaultKind.Term: node.Signal("TERM"); break;
                case FaultKind.Pause: node.Signal("STOP"); break;
                case FaultKind.Restart:
                    node.Kill();
                    node.Start();
                    break;
                case FaultKind.Rate: cluster.Network!.SetRate(name, fault.BitsPerSecond!.Value); break;
            }
        }
        if (fault.Kind == FaultKind.Partition) cluster.Network!.Partition(fault.Targets, fault.Others);
        Record(fault.Describe());
    }

    private void Record(string what)
    {
        lock (_gate) _events.Add(new FaultEvent(clock.Elapsed, what));
    }

    private async Task WaitUntil(TimeSpan at, CancellationToken cancellationToken)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
    }
}

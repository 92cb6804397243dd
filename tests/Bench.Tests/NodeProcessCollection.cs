namespace CollabVlm.Bench.Tests;

/// <summary>
/// The tests that run real node processes. One at a time and apart from the rest: on a 2-core machine two such runs
/// would starve each other, and the runs of one test process share their namespaces' name prefix (the process id).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodeProcessCollection
{
    public const string Name = "node processes";
}

namespace CollabVlm.Operations.Tests.Prometheus;

/// <summary>Tests that run node processes with the real model: one at a time, so they do not compete for the cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodeProcessCollection
{
    public const string Name = "node processes";
}

namespace CollabVlm.EndToEnd.Tests;

/// <summary>Test classes that share one running server (<see cref="ClusterFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "one server process";
}

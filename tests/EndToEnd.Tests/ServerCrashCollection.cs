namespace CollabVlm.EndToEnd.Tests;

/// <summary>Tests that start (and kill) their own server processes instead of sharing <see cref="ClusterFixture"/>'s.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCrashCollection
{
    public const string Name = "own server processes";
}

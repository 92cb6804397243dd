namespace CollabVlm.EndToEnd.Tests;

/// <summary>One server process shared by the tests of <see cref="ClusterCollection"/>, plus the frames they ask about.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private ServerNode? _server;

    public ServerNode Server => _server ?? throw new InvalidOperationException("the server has not started");

    public TestFrames Frames { get; } = new();

    public async Task InitializeAsync() => _server = await ServerNode.StartAsync();

    public async Task DisposeAsync()
    {
        try
        {
            if (_server is not null) await _server.DisposeAsync();
        }
        finally
        {
            Frames.Dispose();
        }
    }
}

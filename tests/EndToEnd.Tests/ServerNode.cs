using CollabVlm.Actors.Server;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>A <c>collabvlm-server</c> process on a free loopback port, started and awaited until it is Up with its model loaded.</summary>
public sealed class ServerNode : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // ServerHostingExtensions logs "model <name> loaded (<details>)" once the gateway can be created.
    private static readonly System.Text.RegularExpressions.Regex ModelLoaded = new(@"model \S+ loaded", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private ServerNode(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    /// <summary>The address edges use as their seed.</summary>
    public string Address => $"akka.tcp://collabvlm@127.0.0.1:{Port}";

    /// <summary>Starts a server; <paramref name="extraArguments"/> go after <c>--hostname 127.0.0.1 --port P</c>.</summary>
    public static ChildProcess Launch(int port, IEnumerable<string>? extraArguments = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start(Executables.Server, ["--hostname", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extraArguments ?? []], environment);

    public static async Task<ServerNode> StartAsync(IEnumerable<string>? extraArguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort.Next();
        var process = Launch(port, extraArguments, environment);
        try
        {
            // The two lines that say it can answer: the cluster moved it to Up, and the model loaded.
            await process.WaitForOutputAsync(
                o => o.Contains($"127.0.0.1:{port}] to [Up]", StringComparison.Ordinal) && ModelLoaded.IsMatch(o),
                $"the node Up (\"…127.0.0.1:{port}] to [Up]\") with its model loaded (\"model … loaded\")", StartTimeout);
            return new ServerNode(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

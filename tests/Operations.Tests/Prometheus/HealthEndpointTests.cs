using System.Globalization;
using System.Net;
using CollabVlm.EndToEnd.Tests;
using CollabVlm.NodeDefaults;

namespace CollabVlm.Operations.Tests.Prometheus;

/// <summary>Liveness and readiness of a real server process: alive at once, ready only once it joined a cluster.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task A_server_that_cannot_join_its_seed_is_live_but_not_ready()
    {
        var http = FreePort.Next();
        var nobody = $"akka.tcp://collabvlm@127.0.0.1:{FreePort.Next()}";
        await using var server = ServerNode.Launch(FreePort.Next(), ["--seed", nobody, "--http-port", http.ToString(CultureInfo.InvariantCulture)]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var live = await HttpPoll.UntilStatusAsync(client, $"http://127.0.0.1:{http}{HttpSettings.LivenessPath}", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.True(live, $"liveness should turn 200 once the ActorSystem runs.\n{server.Describe()}");
        // The model loads in well under this; the only thing missing is the cluster.
        await server.WaitForOutputAsync(o => o.Contains("loaded", StringComparison.Ordinal), "the model loaded", TimeSpan.FromSeconds(60));
        using var ready = await client.GetAsync($"http://127.0.0.1:{http}{HttpSettings.ReadinessPath}");
        Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, $"readiness must stay 503 while the node has not joined, got {(int)ready.StatusCode}.\n{server.Describe()}");
        Assert.Contains("Unhealthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_http_port_stops_the_server_with_a_settings_error_naming_it()
    {
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            await using var server = ServerNode.Launch(FreePort.Next(), ["--http-port", port.ToString(CultureInfo.InvariantCulture)]);
            var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 2, $"a taken Http port is a settings error (exit 2), got {code}.\n{server.Describe()}");
            Assert.True(server.Output.Contains("error: Http:Port", StringComparison.Ordinal) && server.Output.Contains(port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
                $"the message should name Http:Port and the port.\n{server.Describe()}");
        }
        finally
        {
            taken.Stop();
        }
    }
}

using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.Tests.Chaos;

public sealed class NodeLaunchTests
{
    [Fact]
    public void A_node_is_entered_into_its_namespace_first_then_pinned_then_run()
    {
        Assert.Equal(["dotnet"], ChaosCluster.Launch(null, null, "dotnet"));
        Assert.Equal(["taskset", "-c", "1", "dotnet"], ChaosCluster.Launch(null, "1", "dotnet"));
        Assert.Equal(["ip", "netns", "exec", "cv1-server0", "dotnet"], ChaosCluster.Launch("cv1-server0", null, "dotnet"));
        Assert.Equal(["ip", "netns", "exec", "cv1-server0", "taskset", "-c", "0-1", "dotnet"], ChaosCluster.Launch("cv1-server0", "0-1", "dotnet"));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("2-3", true)]
    [InlineData("0,2", true)]
    [InlineData("", false)]
    [InlineData("one", false)]
    public void Server_cores_must_be_cpu_lists(string cores, bool valid)
    {
        var options = new ChaosOptions { Output = "out", ServerDll = typeof(NodeLaunchTests).Assembly.Location, EdgeDll = typeof(NodeLaunchTests).Assembly.Location, ServerCores = [cores] };
        var problem = options.Problem();
        if (valid) Assert.Null(problem);
        else Assert.Contains("--server-cores", problem);
    }
}

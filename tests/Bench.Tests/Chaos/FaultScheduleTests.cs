using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.Tests.Chaos;

public sealed class FaultScheduleTests
{
    private static readonly string[] Servers = ["server0", "server1", "server2"];
    private static readonly string[] Edges = ["edge0", "edge1"];

    private static Fault Parse(string spec) => FaultSchedule.ParseOne(spec, Servers, Edges);

    [Fact]
    public void A_kill_names_its_time_and_target()
    {
        var fault = Parse("60s kill server1");
        Assert.Equal(TimeSpan.FromSeconds(60), fault.At);
        Assert.Equal(FaultKind.Kill, fault.Kind);
        Assert.Equal(["server1"], fault.Targets);
        Assert.Null(fault.Duration);
        Assert.False(fault.NeedsNamespaces);
    }

    [Fact]
    public void A_pause_lasts_its_duration()
    {
        var fault = Parse("1.5m stop server0,server2 for 20s");
        Assert.Equal(TimeSpan.FromSeconds(90), fault.At);
        Assert.Equal(FaultKind.Pause, fault.Kind);
        Assert.Equal(["server0", "server2"], fault.Targets);
        Assert.Equal(TimeSpan.FromSeconds(20), fault.Duration);
    }

    [Fact]
    public void A_partition_expands_the_groups_on_both_sides()
    {
        var fault = Parse("500ms partition edges|servers for 30s");
        Assert.Equal(TimeSpan.FromMilliseconds(500), fault.At);
        Assert.Equal(["edge0", "edge1"], fault.Targets);
        Assert.Equal(Servers, fault.Others);
        Assert.True(fault.NeedsNamespaces);
        Assert.Equal("partition edge0,edge1 | server0,server1,server2 for 30 s", fault.Describe());
    }

    [Fact]
    public void A_rate_change_reads_its_rate_in_decimal_units()
    {
        var fault = Parse("10s rate edge0 250kbit");
        Assert.Equal(FaultKind.Rate, fault.Kind);
        Assert.Equal(250_000, fault.BitsPerSecond);
        Assert.Equal(["edge0"], fault.Targets);
    }

    [Fact]
    public void The_schedule_is_ordered_by_time()
    {
        var faults = FaultSchedule.Parse(["90s restart server1", "30s term server2", "60s kill server1"], Servers, Edges);
        Assert.Equal([FaultKind.Term, FaultKind.Kill, FaultKind.Restart], faults.Select(f => f.Kind));
    }

    [Theory]
    [InlineData("60s kill", "expected AT ACTION TARGETS")]
    [InlineData("soon kill server1", "'soon' is not a duration")]
    [InlineData("60s explode server1", "unknown action 'explode'")]
    [InlineData("60s kill server9", "unknown node 'server9'")]
    [InlineData("60s stop server1", "needs 'for DURATION'")]
    [InlineData("60s kill server1 for 5s", "takes no duration")]
    [InlineData("60s partition edges for 5s", "needs two sides")]
    [InlineData("60s partition edges,server0 | servers for 5s", "both sides")]
    [InlineData("60s kill server1 | server2", "only a partition has two sides")]
    [InlineData("60s rate edge0 fast", "'fast' is not a rate")]
    [InlineData("60s stop server1 for 5s edge0", "must come last")]
    public void A_malformed_fault_is_refused_naming_what_is_wrong(string spec, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Parse(spec));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(spec, error.Message, StringComparison.Ordinal);
    }
}

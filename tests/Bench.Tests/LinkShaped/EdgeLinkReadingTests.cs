using CollabVlm.Bench.LinkShaped;

namespace CollabVlm.Bench.Tests.LinkShaped;

/// <summary>Reading an edge from outside: a gauge from its /metrics page, the veth counter from /proc/PID/net/dev.</summary>
public sealed class EdgeLinkReadingTests
{
    private const string Page = """
        # TYPE collabvlm_edge_link_throughput_bytes_per_second gauge
        # UNIT collabvlm_edge_link_throughput_bytes_per_second bytes_per_second
        collabvlm_edge_link_throughput_bytes_per_second{otel_scope_name="CollabVlm",edge="edge-1/0"} 118734.5 1796018101352
        collabvlm_edge_link_rtt_seconds{otel_scope_name="CollabVlm",edge="edge-1/0"} 0.012
        collabvlm_edge_link_confidence_extra 3
        collabvlm_edge_link_confidence 0.74
        """;

    [Fact]
    public void A_gauge_is_read_past_its_labels_and_timestamp()
    {
        Assert.Equal(118734.5, PrometheusText.FirstValue(Page, EdgeLinkProbe.ThroughputMetric));
        Assert.Equal(0.012, PrometheusText.FirstValue(Page, EdgeLinkProbe.RoundTripMetric));
        // A metric whose name merely starts with the one asked for is another metric.
        Assert.Equal(0.74, PrometheusText.FirstValue(Page, EdgeLinkProbe.ConfidenceMetric));
    }

    [Fact]
    public void A_gauge_not_yet_exported_reads_null()
    {
        Assert.Null(PrometheusText.FirstValue("# nothing observed yet\n", EdgeLinkProbe.ThroughputMetric));
    }

    [Fact]
    public void The_transmit_bytes_column_of_the_device_is_read()
    {
        const string table = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
              eth0: 5356281    4030    0    0    0     0          0         0 93877123   64012    0    0    0     0       0          0
            """;

        Assert.Equal(93_877_123, EdgeLinkProbe.TxBytes(table, "eth0"));
        Assert.Equal(1_200, EdgeLinkProbe.TxBytes(table, "lo"));
        Assert.Null(EdgeLinkProbe.TxBytes(table, "eth1"));
    }
}

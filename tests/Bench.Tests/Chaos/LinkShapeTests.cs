using CollabVlm.Bench.Chaos;

namespace CollabVlm.Bench.Tests.Chaos;

public sealed class LinkShapeTests
{
    [Fact]
    public void A_full_shape_becomes_netem_arguments()
    {
        var shape = LinkShape.Parse("10mbit,25ms,0.5%");
        Assert.Equal(10_000_000, shape.BitsPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(25), shape.Delay);
        Assert.Equal(0.5, shape.LossPercent);
        Assert.Equal(["netem", "limit", "10000", "delay", "25ms", "loss", "0.5%", "rate", "10000000bit"], shape.QdiscArguments());
    }

    [Fact]
    public void A_rate_alone_is_a_token_bucket_that_passes_a_full_frame()
    {
        var shape = LinkShape.Parse("1mbit");
        Assert.Equal(1_000_000, shape.BitsPerSecond);
        Assert.Equal(TimeSpan.Zero, shape.Delay);
        Assert.False(shape.IsUnshaped);
        Assert.Equal(["tbf", "rate", "1000000bit", "burst", "3028", "limit", "65536"], shape.QdiscArguments());
        Assert.Equal(["tbf", "rate", "100000000bit", "burst", "125000", "limit", "6250000"], LinkShape.Parse("100mbit").QdiscArguments());
    }

    [Theory]
    [InlineData("8000bit", 8000L)]
    [InlineData("250kbit", 250_000L)]
    [InlineData("1.5gbit", 1_500_000_000L)]
    [InlineData("fast", null)]
    [InlineData("0mbit", null)]
    public void Rates_read_as_tc_writes_them(string text, long? expected) => Assert.Equal(expected, LinkShape.ParseRate(text));

    [Theory]
    [InlineData("fast,25ms")]
    [InlineData("10mbit,soon")]
    [InlineData("10mbit,25ms,lots")]
    [InlineData("10mbit,25ms,150%")]
    public void A_malformed_shape_is_refused(string text) =>
        Assert.Contains(text, Assert.Throws<FormatException>(() => LinkShape.Parse(text)).Message, StringComparison.Ordinal);
}

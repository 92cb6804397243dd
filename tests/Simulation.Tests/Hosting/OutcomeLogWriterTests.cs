using CollabVlm.Simulation.Hosting;

namespace CollabVlm.Simulation.Tests.Hosting;

public sealed class OutcomeLogWriterTests
{
    [Fact]
    public void Every_line_is_on_disk_as_soon_as_it_is_written_and_reads_back_the_same()
    {
        var path = Path.Combine(Path.GetTempPath(), "outcomes-" + Guid.NewGuid().ToString("N"), "edge0.jsonl");
        try
        {
            var asked = new OutcomeLine(OutcomeLine.Asked, "42/c3-7", 3, "abc", 1_000);
            var ended = new OutcomeLine(OutcomeLine.Ended, "42/c3-7", 3, "abc", 2_500, OutcomeLine.Answered, "Refined", LatencyMs: 1500, Attempts: 2);
            using var writer = new OutcomeLogWriter(path);
            writer.Write(asked);
            writer.Write(ended);
            // Still open: a reader (the chaos bench) sees both lines, as it would after this process was killed.
            var lines = File.ReadAllLines(path).Select(OutcomeLine.Parse).ToList();
            Assert.Equal([asked, ended], lines);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"event\":\"ask")]
    [InlineData("not json")]
    public void A_blank_or_torn_line_parses_to_nothing(string line) => Assert.Null(OutcomeLine.Parse(line));

    [Fact]
    public void Without_a_path_writing_is_a_no_op()
    {
        using var writer = new OutcomeLogWriter(null);
        Assert.Null(Record.Exception(() => writer.Write(new OutcomeLine(OutcomeLine.Asked, "1/c0-0", 0, "x", 0))));
    }
}

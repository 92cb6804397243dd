namespace CollabVlm.Imaging.Tests;

public sealed class ByteChunksTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(9, 10)]
    [InlineData(10, 10)]
    [InlineData(11, 10)]
    [InlineData(30, 10)]
    [InlineData(65536 * 3, 65536)]
    [InlineData(65536 * 3 + 1, 65536)]
    [InlineData(7, 1)]
    public void Split_round_trips_with_chunks_no_larger_than_the_max(int length, int max)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);

        var chunks = ByteChunks.Split(bytes, max);

        Assert.Equal((length + max - 1) / max, chunks.Count);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, max));
        Assert.Equal(bytes, chunks.SelectMany(c => c).ToArray());
    }

    [Fact]
    public void Exact_multiples_give_full_chunks_only()
    {
        var chunks = ByteChunks.Split(new byte[40], 8);

        Assert.Equal(5, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(8, c.Length));
    }

    [Fact]
    public void Empty_input_gives_no_chunks()
    {
        Assert.Empty(ByteChunks.Split([], 100));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Max_below_one_is_rejected(int max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteChunks.Split([1, 2, 3], max));
    }

    [Fact]
    public void Chunks_are_copies_not_views_of_the_input()
    {
        var bytes = new byte[] { 1, 2, 3, 4 };
        var chunks = ByteChunks.Split(bytes, 2);
        bytes[0] = 99;

        Assert.Equal(1, chunks[0][0]);
    }
}

using CollabVlm.Imaging;
using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

public sealed class ReadingOrderTests
{
    [Fact]
    public void Two_rows_come_out_top_row_left_to_right_then_bottom_row()
    {
        // Top row: centres y = 10 + 20/2 = 20. Bottom row: centres y = 60 + 10 = 70.
        var topLeft = new PixelRect(10, 10, 50, 20);
        var topRight = new PixelRect(100, 10, 50, 20);
        var bottomLeft = new PixelRect(5, 60, 50, 20);
        var bottomRight = new PixelRect(80, 60, 50, 20);

        var sorted = ReadingOrder.Sort([bottomRight, topRight, bottomLeft, topLeft]);

        Assert.Equal([topLeft, topRight, bottomLeft, bottomRight], sorted);
    }

    [Fact]
    public void Lines_misaligned_by_less_than_half_the_height_share_a_row()
    {
        // Right line centre y = 10 + 10 = 20; left line centre y = 18 + 10 = 28.
        // |28 − 20| = 8 < 0.5·min(20, 20) = 10 → same row, so left-to-right wins over top-to-bottom.
        var higherRight = new PixelRect(200, 10, 60, 20);
        var lowerLeft = new PixelRect(0, 18, 60, 20);

        var sorted = ReadingOrder.Sort([higherRight, lowerLeft]);

        Assert.Equal([lowerLeft, higherRight], sorted);
    }

    [Fact]
    public void Lines_misaligned_by_half_the_height_or_more_are_separate_rows()
    {
        // Centres 20 and 31: |31 − 20| = 11 ≥ 10 → two rows, the higher one first.
        var higherRight = new PixelRect(200, 10, 60, 20);
        var lowerLeft = new PixelRect(0, 21, 60, 20);

        var sorted = ReadingOrder.Sort([lowerLeft, higherRight]);

        Assert.Equal([higherRight, lowerLeft], sorted);
    }
}

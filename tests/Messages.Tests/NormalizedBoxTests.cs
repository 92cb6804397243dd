using CollabVlm.Primitives;

namespace CollabVlm.Messages.Tests;

public sealed class NormalizedBoxTests
{
    [Fact]
    public void A_good_box_validates_and_measures()
    {
        var box = NormalizedBox.Create(0.25, 0.5, 0.75, 1.0);
        Assert.Null(box.Validate());
        Assert.Equal(0.5, box.Width, 12);
        Assert.Equal(0.5, box.Height, 12);
        Assert.Equal(0.25, box.Area, 12);
        Assert.Null(NormalizedBox.Create(0, 0, 1, 1).Validate());
    }

    [Fact]
    public void A_centred_box_keeps_its_size_and_is_shifted_inside_the_frame()
    {
        Assert.Equal((0.4, 0.3, 0.6, 0.7), Rounded(NormalizedBox.Centred(0.5, 0.5, 0.2, 0.4)));
        var corner = NormalizedBox.Centred(0.95, 0.02, 0.2, 0.1);
        Assert.Equal((0.8, 0.0, 1.0, 0.1), Rounded(corner));
        Assert.Equal(NormalizedBox.Create(0, 0, 1, 1), NormalizedBox.Centred(0.3, 0.7, 1.5, 2)); // never larger than the frame
        Assert.True(corner.Contains(0.8, 0.05));
        Assert.False(corner.Contains(0.79, 0.05));

        static (double, double, double, double) Rounded(NormalizedBox b) => (Math.Round(b.X0, 12), Math.Round(b.Y0, 12), Math.Round(b.X1, 12), Math.Round(b.Y1, 12));
    }

    [Theory]
    [InlineData(-0.1, 0.0, 0.5, 0.5)]
    [InlineData(0.0, 0.0, 1.1, 0.5)]
    [InlineData(0.0, -1e-9, 0.5, 0.5)]
    [InlineData(0.0, 0.0, 0.5, 2.0)]
    public void Outside_the_unit_square_is_rejected(double x0, double y0, double x1, double y1)
    {
        var e = Assert.Throws<ArgumentException>(() => NormalizedBox.Create(x0, y0, x1, y1));
        Assert.Contains("outside [0,1]", e.Message);
    }

    [Theory]
    [InlineData(0.5, 0.2, 0.5, 0.8)]
    [InlineData(0.2, 0.5, 0.8, 0.5)]
    [InlineData(0.8, 0.2, 0.2, 0.8)]
    public void Zero_or_negative_area_is_rejected(double x0, double y0, double x1, double y1)
    {
        var e = Assert.Throws<ArgumentException>(() => NormalizedBox.Create(x0, y0, x1, y1));
        Assert.Contains("zero area", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, 0.0, 0.5, 0.5)]
    [InlineData(0.0, 0.0, double.NaN, 0.5)]
    [InlineData(0.0, double.NegativeInfinity, 0.5, 0.5)]
    [InlineData(0.0, 0.0, 0.5, double.PositiveInfinity)]
    public void Non_finite_coordinates_are_rejected(double x0, double y0, double x1, double y1)
    {
        var e = Assert.Throws<ArgumentException>(() => NormalizedBox.Create(x0, y0, x1, y1));
        Assert.Contains("not a finite number", e.Message);
    }

    [Fact]
    public void A_box_built_without_Create_is_caught_by_Validate()
    {
        // Records arriving over the wire bypass Create; receivers call Validate.
        Assert.NotNull(new NormalizedBox(0.9, 0.1, 0.1, 0.9).Validate());
        Assert.NotNull(new NormalizedBox(double.NaN, 0, 1, 1).Validate());
    }
}

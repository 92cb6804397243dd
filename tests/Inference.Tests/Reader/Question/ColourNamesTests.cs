using CollabVlm.Imaging;
using CollabVlm.Inference.Reader.Question;
using SkiaSharp;

namespace CollabVlm.Inference.Tests.Reader.Question;

public sealed class ColourNamesTests
{
    // The synthetic generator's plates, and a few real sign colours.
    [Theory]
    [InlineData(0, 90, 50, "green")]
    [InlineData(20, 45, 115, "blue")]
    [InlineData(125, 20, 25, "red")]
    [InlineData(30, 30, 32, "black")]
    [InlineData(70, 40, 20, "brown")]
    [InlineData(10, 70, 90, "teal")]
    [InlineData(232, 236, 221, "white")]
    [InlineData(240, 200, 20, "yellow")]
    [InlineData(230, 120, 20, "orange")]
    [InlineData(128, 128, 130, "grey")]
    public void Names_sign_colours(byte r, byte g, byte b, string name) => Assert.Equal(name, ColourNames.Of(r, g, b));

    [Fact]
    public void A_plate_is_named_by_its_colour_not_its_letters()
    {
        using var image = new SKBitmap(new SKImageInfo(100, 40, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        image.Erase(new SKColor(125, 20, 25));
        for (var x = 10; x < 88; x += 7) // white strokes, two pixels in seven
            for (var y = 8; y < 32; y++) { image.SetPixel(x, y, SKColors.White); image.SetPixel(x + 1, y, SKColors.White); }
        Assert.Equal("red", PlateColour.Of(image, new PixelRect(0, 0, 100, 40)));
        Assert.Equal(4 * 2, PlateColour.Grid(image, 4, 2).Count);
    }

    [Fact]
    public void A_dark_plate_behind_bold_light_letters_is_still_the_plate()
    {
        using var image = new SKBitmap(new SKImageInfo(120, 36, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        image.Erase(new SKColor(30, 30, 32));
        for (var y = 8; y < 28; y++) // letters covering four fifths of the core
            for (var x = 4; x < 116; x++)
                if (x % 5 != 0) image.SetPixel(x, y, new SKColor(240, 240, 240));
        Assert.Equal("black", PlateColour.Of(image, new PixelRect(0, 0, 120, 36)));
    }

    [Fact]
    public void Similar_colours_half_match() =>
        Assert.Equal((1.0, 0.5, 0.0), (ColourNames.Similarity("red", "red"), ColourNames.Similarity("teal", "blue"), ColourNames.Similarity("red", "blue")));
}

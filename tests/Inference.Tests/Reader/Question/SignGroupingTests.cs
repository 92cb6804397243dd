using CollabVlm.Imaging;
using CollabVlm.Inference.Reader.Question;

namespace CollabVlm.Inference.Tests.Reader.Question;

public sealed class SignGroupingTests
{
    [Fact]
    public void Stacked_lines_and_split_words_make_one_sign_distant_lines_another()
    {
        PixelRect platform = new(100, 100, 200, 30), seven = new(150, 135, 40, 30); // one sign, two rows
        PixelRect no = new(500, 100, 40, 30), parking = new(550, 102, 120, 30);     // one line split in two
        PixelRect far = new(100, 400, 200, 30);
        var groups = SignGrouping.Group([far, parking, seven, no, platform]);
        Assert.Equal(3, groups.Count);
        Assert.Equal([platform, seven], groups[0]);
        Assert.Equal([no, parking], groups[1]);
        Assert.Equal([far], groups[2]);
    }

    [Fact]
    public void Side_by_side_plates_of_different_colours_are_different_signs()
    {
        PixelRect lane = new(100, 100, 120, 30), pier = new(228, 102, 80, 28);
        Assert.Single(SignGrouping.Group([lane, pier]));
        Assert.Equal(2, SignGrouping.Group([lane, pier], ["black", "blue"]).Count);
    }

    [Fact]
    public void Words_a_wide_space_apart_on_one_row_are_one_sign_and_a_wider_gap_is_not()
    {
        // The boxes of a photographed "LANE 893" (tune p0019): 50 and 53 px high, 28 px apart.
        PixelRect lane = new(182, 300, 127, 50), number = new(337, 294, 112, 53);
        Assert.Single(SignGrouping.Group([lane, number], ["grey", "grey"]));
        PixelRect farther = number with { X = 309 + (int)(SignGrouping.WordGap * 50) + 2 };
        Assert.Equal(2, SignGrouping.Group([lane, farther]).Count);
    }

    [Fact]
    public void Lines_of_very_different_height_are_different_signs() =>
        Assert.Equal(2, SignGrouping.Group([new PixelRect(0, 0, 100, 60), new PixelRect(0, 65, 100, 15)]).Count);
}

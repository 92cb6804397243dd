using CollabVlm.Inference.Served;
using CollabVlm.Primitives;

namespace CollabVlm.Inference.Tests.Served;

public sealed class GroundingAnswerTests
{
    private static void AssertBox(NormalizedBox? box, double x0, double y0, double x1, double y1)
    {
        Assert.NotNull(box);
        Assert.Equal(x0, box.X0, 3);
        Assert.Equal(y0, box.Y0, 3);
        Assert.Equal(x1, box.X1, 3);
        Assert.Equal(y1, box.Y1, 3);
    }

    [Fact]
    public void Qwen25_json_in_a_code_fence_is_read_in_pixels() =>
        AssertBox(GroundingAnswer.TryParse("```json\n[\n\t{\"bbox_2d\": [200, 150, 400, 300], \"label\": \"sign\"}\n]\n```", 800, 600), 0.25, 0.25, 0.5, 0.5);

    [Fact]
    public void Qwen2_point_pairs_in_per_mille() =>
        AssertBox(GroundingAnswer.TryParse("<|box_start|>(250,250),(500,500)<|box_end|>", 400, 300, BoxCoordinates.Permille), 0.25, 0.25, 0.5, 0.5);

    [Fact]
    public void Numbers_beyond_the_image_but_within_1000_are_read_as_per_mille() =>
        AssertBox(GroundingAnswer.TryParse("The sign is at [100, 200, 900, 800].", 320, 240), 0.1, 0.2, 0.9, 0.8);

    [Fact]
    public void Unit_coordinates_and_swapped_corners() =>
        AssertBox(GroundingAnswer.TryParse("{\"bbox\": [0.6, 0.7, 0.2, 0.1]}", 640, 480), 0.2, 0.1, 0.6, 0.7);

    [Fact]
    public void A_box_overshooting_the_edge_is_clamped() =>
        AssertBox(GroundingAnswer.TryParse("[{\"bbox_2d\": [700, 500, 812, 610]}]", 800, 600), 0.875, 5 / 6.0, 1, 1);

    [Theory]
    [InlineData("I cannot find the sign in this image.")]
    [InlineData("{\"bbox_2d\": [10, 10, 10, 40]}")]
    [InlineData("[5000, 6000, 7000, 8000]")]
    [InlineData("")]
    public void No_usable_box_is_null(string answer) => Assert.Null(GroundingAnswer.TryParse(answer, 800, 600));

    [Fact]
    public void A_box_map_marks_its_cells_and_the_centre_prior_peaks_in_the_middle()
    {
        var map = RelevancePrior.FromBox(new NormalizedBox(0.5, 0.5, 1, 1), 800, 600);
        Assert.Equal((32, 24), (map.Width, map.Height));
        Assert.Equal(1f, map[31, 23]);
        Assert.Equal(0f, map[0, 0]);
        var roi = RoiSelector.Select(map, 0.25);
        Assert.True(roi.X0 >= 0.5 - 1e-9 && roi.Y0 >= 0.5 - 1e-9, $"the RoI {roi} should lie in the pointed-at quarter");

        var centre = RelevancePrior.Centre(800, 600);
        Assert.True(centre[16, 12] > centre[0, 0]);
    }
}

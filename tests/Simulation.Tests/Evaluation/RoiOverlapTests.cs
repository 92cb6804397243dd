using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Simulation.Tests.Evaluation;

public sealed class RoiOverlapTests
{
    [Fact]
    public void A_hit_needs_the_true_boxs_centre_inside_the_roi()
    {
        var roi = NormalizedBox.Create(0.2, 0.2, 0.6, 0.6);
        Assert.True(RoiOverlap.Hit(roi, NormalizedBox.Create(0.5, 0.5, 0.7, 0.6)));  // centre (0.6, 0.55): on the edge
        Assert.False(RoiOverlap.Hit(roi, NormalizedBox.Create(0.55, 0.5, 0.9, 0.6))); // centre (0.725, 0.55): outside, though overlapping
    }

    [Fact]
    public void Iou_is_intersection_over_union()
    {
        var a = NormalizedBox.Create(0, 0, 0.5, 0.5);
        var b = NormalizedBox.Create(0.25, 0.25, 0.75, 0.75);
        // Intersection 0.0625, union 0.25 + 0.25 − 0.0625.
        Assert.Equal(0.0625 / 0.4375, RoiOverlap.IntersectionOverUnion(a, b), 12);
        Assert.Equal(1.0, RoiOverlap.IntersectionOverUnion(a, a), 12);
        Assert.Equal(0.0, RoiOverlap.IntersectionOverUnion(a, NormalizedBox.Create(0.6, 0.6, 0.9, 0.9)));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        Assert.Equal(50, Percentiles.NearestRank(sorted, 0.5));
        Assert.Equal(100, Percentiles.NearestRank(sorted, 0.95));
        Assert.Equal(10, Percentiles.NearestRank(sorted, 0));
        Assert.Equal(0, Percentiles.NearestRank([], 0.5));
        Assert.Equal(30, Percentiles.Of([50, 10, 30], 0.5));
    }
}

using CollabVlm.Inference.Vlm;

namespace CollabVlm.Inference.Tests.Vlm;

public sealed class AttentionRelevanceTests
{
    [Fact]
    public void Rel_att_divides_question_by_generic_attention_and_normalizes()
    {
        var rel = AttentionRelevance.RelativeAttention([0.2f, 0.2f, 0.1f, 0.5f], [0.1f, 0.4f, 0.1f, 0.5f]);
        // ratios 2, 0.5, 1, 1 → sum 4.5
        Assert.Equal([2 / 4.5, 0.5 / 4.5, 1 / 4.5, 1 / 4.5], rel.Select(v => Math.Round(v, 6)), new RoundedComparer());
    }

    [Fact]
    public void A_grid_over_a_wide_image_keeps_cells_square_and_mass_in_place()
    {
        var grid = new double[16];
        grid[0 * 4 + 3] = 1; // top-right token
        var map = AttentionRelevance.ToMap(grid, 4, 800, 400);
        Assert.Equal((4, 2), (map.Width, map.Height));
        Assert.Equal(1.0, map.Values.Sum(v => (double)v), 6);
        Assert.Equal(1.0, map[3, 0], 6);
    }

    [Fact]
    public void Feature_similarity_is_clipped_cosine_normalized()
    {
        float[] features = [1, 0, 0, 1, -1, 0];
        var scores = AttentionRelevance.FeatureSimilarity(features, 3, [1f, 0f]);
        Assert.Equal(new[] { 1.0, 0.0, 0.0 }, scores);
        Assert.Equal(new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, AttentionRelevance.Normalize([0, 0, 0]));
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-6;
        public int GetHashCode(double v) => 0;
    }
}

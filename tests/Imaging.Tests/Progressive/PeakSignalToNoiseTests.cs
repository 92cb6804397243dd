using CollabVlm.Imaging.Progressive;

namespace CollabVlm.Imaging.Tests.Progressive;

public sealed class PeakSignalToNoiseTests
{
    [Fact]
    public void Identical_images_score_the_cap_and_a_known_error_its_exact_value()
    {
        using var grey = TestFrames.FromPixels(4, 4, (_, _) => (100, 100, 100));
        using var offByTenInRed = TestFrames.FromPixels(4, 4, (_, _) => (110, 100, 100));

        Assert.Equal(PeakSignalToNoise.IdenticalDb, PeakSignalToNoise.Compute(grey, grey));
        // RGB: MSE = 100 / 3; luma: Y differs by 0.299 × 10, MSE = 8.9401.
        Assert.Equal(10 * Math.Log10(255.0 * 255 / (100.0 / 3)), PeakSignalToNoise.Compute(grey, offByTenInRed), 6);
        Assert.Equal(10 * Math.Log10(255.0 * 255 / 8.9401), PeakSignalToNoise.ComputeLuma(grey, offByTenInRed), 6);
    }

    [Fact]
    public void Different_sizes_are_refused()
    {
        using var a = TestFrames.FromPixels(4, 4, (_, _) => (0, 0, 0));
        using var b = TestFrames.FromPixels(4, 5, (_, _) => (0, 0, 0));

        Assert.Contains("4×4 against 4×5", Assert.Throws<ArgumentException>(() => PeakSignalToNoise.Compute(a, b)).Message);
    }
}

using System.Globalization;
using CollabVlm.Imaging.Progressive;
using Xunit.Abstractions;

namespace CollabVlm.Imaging.Tests.Progressive;

/// <summary>
/// The measurement behind <see cref="ProgressiveScanScripts.TextFirst"/>, printed for the readme:
/// run with <c>--logger "console;verbosity=detailed" --filter ScanScriptComparison</c>.
/// </summary>
public sealed class ScanScriptComparisonTests(ITestOutputHelper output)
{
    private static readonly double[] Budgets = [0.10, 0.15, 0.25, 0.35, 0.50, 0.75, 1.00];

    /// <summary>
    /// Luma PSNR is the criterion (text strokes are brightness edges); the test asks that text-first
    /// be no worse than libjpeg's script where layers are cut (25–75 % of the bytes) and clearly
    /// better than spectral bands without successive approximation.
    /// </summary>
    [Fact]
    public void Text_first_reads_as_well_as_libjpeg_per_byte_and_far_better_than_plain_bands()
    {
        const int quality = 80;
        var crops = Enumerable.Range(0, 3).Select(i => Downscaled(ProgressiveSamples.TextCrop(seed: 300 + i, textHeight: 10 + 4 * i))).ToArray();
        try
        {
            var means = ProgressiveScanScripts.All.ToDictionary(s => s.Key, _ => new double[Budgets.Length]);
            var lumaMeans = ProgressiveScanScripts.All.ToDictionary(s => s.Key, _ => new double[Budgets.Length]);
            foreach (var crop in crops)
            {
                // Budgets are shares of libjpeg's full file, the same number of bytes for every script.
                var reference = ProgressiveJpegEncoder.Encode(crop, quality, ProgressiveScanScripts.LibJpegSimple).Bytes.Length;
                foreach (var (name, script) in ProgressiveScanScripts.All)
                {
                    var curve = ProgressiveJpegProbe.Measure(crop, quality, script);
                    for (var b = 0; b < Budgets.Length; b++)
                    {
                        means[name][b] += ProgressiveJpegProbe.PsnrWithinBudget(curve, Budgets[b] * reference) / crops.Length;
                        lumaMeans[name][b] += ProgressiveJpegProbe.PsnrWithinBudget(curve, Budgets[b] * reference, luma: true) / crops.Length;
                    }
                    if (name == "text-first" && crop == crops[0])
                        output.WriteLine(Invariant($"text-first curve, {crop.Width}×{crop.Height} q{quality} (bytes share: PSNR vs source / vs full): ") +
                            string.Join("  ", curve.Select(c => Invariant($"{c.Bytes} B {c.ShareOfBytes:P0}: {c.PsnrVsSourceDb:F1}/{c.PsnrVsFullDb:F1}"))));
                }
            }

            Print("RGB", means, crops.Length, quality);
            Print("luma", lumaMeans, crops.Length, quality);

            for (var b = 2; b < Budgets.Length - 1; b++)
                Assert.True(lumaMeans["text-first"][b] >= lumaMeans["libjpeg-simple"][b] - 0.1, $"text-first fell behind libjpeg-simple at {Budgets[b]:P0}");
            Assert.True(lumaMeans["text-first"][2] > lumaMeans["luma-bands"][2] + 1, "successive approximation should beat plain spectral bands at 25 %");
        }
        finally
        {
            foreach (var crop in crops)
                crop.Dispose();
        }
    }

    private void Print(string what, Dictionary<string, double[]> means, int crops, int quality)
    {
        output.WriteLine(Invariant($"mean {what} PSNR vs source (dB) of the best prefix within a share of libjpeg-simple's full size, {crops} text crops, q{quality}:"));
        output.WriteLine("| script | " + string.Join(" | ", Budgets.Select(b => Invariant($"{b:P0}"))) + " |");
        foreach (var (name, values) in means)
            output.WriteLine($"| {name} | " + string.Join(" | ", values.Select(v => Invariant($"{v:F2}"))) + " |");
    }

    /// <summary>At most 600 px a side keeps the 120 decodes of this measurement to a few seconds.</summary>
    private static SkiaSharp.SKBitmap Downscaled(SkiaSharp.SKBitmap crop)
    {
        using (crop)
            return GlobalImageMaker.Resize(crop, 600);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

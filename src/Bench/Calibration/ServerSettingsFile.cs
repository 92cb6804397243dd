using System.Globalization;
using System.Text.Json.Nodes;
using CollabVlm.Inference;
using CollabVlm.NodeDefaults;

namespace CollabVlm.Bench.Calibration;

/// <summary>
/// The settings file <c>calibrate</c> writes: a <c>Server</c> section with η and the gate's measure,
/// in the layout <c>NodeConfiguration</c> reads, so <c>collabvlm-server --config FILE</c> (or the file
/// copied to appsettings.json beside the server) runs with the calibrated gate.
/// </summary>
public static class ServerSettingsFile
{
    public static string Format(double threshold, UncertaintySpec spec)
    {
        var server = new JsonObject
        {
            ["Threshold"] = Math.Round(threshold, 6),
            ["Measure"] = spec.Measure.ToString(),
            ["Aggregation"] = spec.Aggregation.ToString(),
            ["AggregationK"] = spec.K,
        };
        return new JsonObject { ["Server"] = server }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static void Write(string path, double threshold, UncertaintySpec spec)
    {
        if (!double.IsFinite(threshold) || threshold < 0)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold.ToString(CultureInfo.InvariantCulture), "η must be a finite number ≥ 0");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Format(threshold, spec));
    }
}

using System.Text.Json.Serialization;

namespace CollabVlm.Bench.Latency;

/// <summary>
/// What <c>latency --json</c> writes, in a fixed shape so runs compare over time:
/// <c>{"links": {"1mbps": {STRATEGY: figures}, "10mbps": {…}}, "link_utilization", "estimator_error"}</c>.
/// </summary>
public sealed record LatencyResults(
    [property: JsonPropertyName("links")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, LatencyFigures>> Links,
    [property: JsonPropertyName("link_utilization")] double LinkUtilization,
    [property: JsonPropertyName("estimator_error")] double EstimatorError,
    [property: JsonPropertyName("estimator_error_by_link")] IReadOnlyDictionary<string, double> EstimatorErrorByLink,
    [property: JsonPropertyName("estimate_bits_per_second_by_link")] IReadOnlyDictionary<string, double> EstimateByLink,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("threshold")] double Threshold)
{
    /// <summary>The strategy names of the JSON.</summary>
    public static string Key(LatencyStrategy strategy) => strategy switch
    {
        LatencyStrategy.FullFrame => "full_frame",
        LatencyStrategy.GlobalOnly => "global_only",
        LatencyStrategy.Always => "always",
        LatencyStrategy.GatedProgressive => "gated_progressive",
        LatencyStrategy.GatedProgressiveEarlyStop => "gated_progressive_early_stop",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };

    /// <summary>
    /// Share of the shaped rate the local uploads achieved: local bytes over (upload time − the link's
    /// round trip), over the rate, summed over complete uploads. 0 when none happened.
    /// </summary>
    public static double Utilization(IEnumerable<LatencySample> samples, ShapedLink link)
    {
        var uploads = samples.Where(s => s.LocalUpload is { } t && t > link.RoundTrip && s.LocalBytes > 0).ToList();
        if (uploads.Count == 0) return 0;
        var seconds = uploads.Sum(s => (s.LocalUpload!.Value - link.RoundTrip).TotalSeconds);
        return uploads.Sum(s => (double)s.LocalBytes) / seconds / link.BytesPerSecond;
    }
}

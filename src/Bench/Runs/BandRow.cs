using System.Text.Json.Serialization;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// One text-height band (answer cap height in the frame, ≈ its centre): questions, and per region
/// choice (the headline always-retransmit, each candidate, the true-box ceiling) the RoI hit rate
/// (true box centre inside the region) and the accuracy; keyed by <see cref="RoiCandidateFigures.Name"/>.
/// </summary>
public sealed record BandRow(
    [property: JsonPropertyName("band")] string Band,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("roi_hits")] IReadOnlyDictionary<string, int> RoiHits,
    [property: JsonPropertyName("right")] IReadOnlyDictionary<string, int> Right);

using System.Text.Json;
using System.Text.Json.Serialization;

namespace CollabVlm.Simulation.Hosting;

/// <summary>
/// One line of a simulated camera's outcome log: <c>asked</c> when a question is handed to its device, <c>ended</c>
/// when the device's outcome came back. A question with an <c>asked</c> line and no <c>ended</c> line was lost.
/// </summary>
/// <param name="Event"><see cref="Asked"/> or <see cref="Ended"/>.</param>
/// <param name="Question">The question's name within its edge node: <c>{process id}/c{camera}-{n}</c>.</param>
/// <param name="AtMs">Wall-clock time of the event, Unix milliseconds (all processes of a run share the clock).</param>
/// <param name="Outcome">On <c>ended</c>: <see cref="Answered"/>, <see cref="Failed"/> or <see cref="NoOutcome"/> (the device never replied).</param>
/// <param name="Stage">The answer's stage (Global, Refined, Degraded) when answered.</param>
/// <param name="Reason">The failure reason when failed.</param>
public sealed record OutcomeLine(
    string Event, string Question, int Camera, string QueryId, long AtMs,
    string? Outcome = null, string? Stage = null, string? Reason = null, double? LatencyMs = null, int? Attempts = null)
{
    public const string Asked = "asked";
    public const string Ended = "ended";
    public const string Answered = "answered";
    public const string Failed = "failed";
    public const string NoOutcome = "no-outcome";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses one line; null for a blank or torn line (a process killed mid-write leaves at most one).</summary>
    public static OutcomeLine? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            return JsonSerializer.Deserialize<OutcomeLine>(line, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

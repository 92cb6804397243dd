using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CollabVlm.Actors.Edge;

namespace CollabVlm.EdgeNode;

/// <summary>The printable form of one <see cref="QueryOutcome"/> (flat, so the JSON is easy to script against).</summary>
public sealed record OutcomeReport(
    string QueryId, bool Answered, string? Answer, string? Stage, double? Uncertainty, double? GlobalUncertainty, double? Threshold,
    long BytesGlobal, long BytesLocal, long BytesUp, int Layers, double[]? Roi, string? DegradedReason,
    double GlobalInferenceMs, double RoiToFirstChunkMs, double LocalTransferMs, double RefinedInferenceMs, double ServerMs,
    double EndToEndMs, int Attempts, int GlobalJpegQuality, string? FailureReason, string? FailureMessage)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static OutcomeReport From(QueryOutcome o)
    {
        var a = o.Answered?.Answer;
        var t = a?.Timings;
        return new OutcomeReport(o.QueryId.Value.ToString("N"), o.IsAnswered, a?.Text, a?.Stage.ToString(), a?.Uncertainty, a?.GlobalUncertainty, a?.Threshold,
            a?.BytesGlobal ?? 0, a?.BytesLocal ?? 0, (a?.BytesGlobal ?? 0) + (a?.BytesLocal ?? 0), a?.LayersUsed ?? 0,
            a?.Roi is { } r ? [r.X0, r.Y0, r.X1, r.Y1] : null, a?.DegradedReason,
            t?.GlobalInferenceMs ?? 0, t?.RoiToFirstChunkMs ?? 0, t?.LocalTransferMs ?? 0, t?.RefinedInferenceMs ?? 0, t?.ServerTotalMs ?? 0,
            o.Elapsed.TotalMilliseconds, o.Attempts, o.GlobalQuality, o.Failed?.Reason.ToString(), o.Failed?.Message);
    }

    public string ToText() => Answered
        ? string.Create(CultureInfo.InvariantCulture,
            $"answer:      {Answer}\nstage:       {Stage}{(DegradedReason is null ? "" : $" ({DegradedReason})")}\nuncertainty: {Uncertainty:0.###} bits (global {GlobalUncertainty:0.###}, η {Threshold:0.###})\n" +
            $"bytes up:    {BytesUp} (global {BytesGlobal}, local {BytesLocal}, {Layers} layer(s))\n" +
            $"timings:     end-to-end {EndToEndMs:0} ms; server {ServerMs:0} ms = global {GlobalInferenceMs:0} + to first chunk {RoiToFirstChunkMs:0} + transfer {LocalTransferMs:0} + refined {RefinedInferenceMs:0}")
        : $"failed:      {FailureReason}: {FailureMessage}";
}

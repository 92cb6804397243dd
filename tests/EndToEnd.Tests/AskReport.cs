namespace CollabVlm.EndToEnd.Tests;

/// <summary>The fields of <c>collabvlm-edge ask --json</c> the tests check (its camelCase JSON, read case-insensitively).</summary>
public sealed record AskReport(
    string QueryId, bool Answered, string? Answer, string? Stage, double? Uncertainty, double? GlobalUncertainty, double? Threshold,
    long BytesGlobal, long BytesLocal, long BytesUp, int Layers, double[]? Roi, string? DegradedReason, int Attempts,
    string? FailureReason, string? FailureMessage);

using System.Text.Json.Serialization;
using CollabVlm.Simulation.Evaluation;

namespace CollabVlm.Bench.Calibration;

/// <summary>η chosen on the calibration split, and what it and the reference strategies do on the held-out split.</summary>
public sealed record CalibrationOutcome(
    [property: JsonPropertyName("measure")] string Measure,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("calibration_questions")] int CalibrationQuestions,
    [property: JsonPropertyName("held_out_questions")] int HeldOutQuestions,
    [property: JsonPropertyName("calibration")] GatePoint OnCalibration,
    [property: JsonPropertyName("held_out")] GatePoint OnHeldOut,
    [property: JsonPropertyName("held_out_global_only")] GatePoint HeldOutGlobalOnly,
    [property: JsonPropertyName("held_out_always")] GatePoint HeldOutAlways,
    [property: JsonPropertyName("held_out_random")] GatePoint HeldOutRandom);

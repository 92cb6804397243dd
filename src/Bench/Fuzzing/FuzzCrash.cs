namespace CollabVlm.Bench.Fuzzing;

/// <summary>An input that made a target throw something it does not document (or run past the time bound).</summary>
public sealed record FuzzCrash(string Target, long Index, string ExceptionType, string Message, string? ReproducerPath);

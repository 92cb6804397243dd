namespace CollabVlm.Bench.Fuzzing;

/// <summary>
/// One entry point that takes untrusted bytes: <paramref name="Run"/> feeds it one input;
/// <paramref name="IsDocumentedError"/> says whether an exception is one of the typed errors the
/// entry point promises (anything else counts as a crash).
/// </summary>
public sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, bool ProtocolFrames, Action<byte[], Random> Run, Func<Exception, bool> IsDocumentedError);

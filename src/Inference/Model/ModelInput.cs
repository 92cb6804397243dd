using CollabVlm.Primitives;

namespace CollabVlm.Inference;

/// <summary>
/// What the model sees: the question, the global image (encoded JPEG/PNG bytes) and, for the
/// refined pass, the local image cut from the original frame at <paramref name="LocalBox"/>.
/// </summary>
public sealed record ModelInput(string Question, byte[] Global, byte[]? Local = null, NormalizedBox? LocalBox = null)
{
    public bool IsRefined => Local is not null;
}

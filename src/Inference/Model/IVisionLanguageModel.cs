namespace CollabVlm.Inference;

/// <summary>
/// A model that answers a question about an image, optionally refined with a local crop.
/// Implementations must be safe to call from one thread at a time; the scheduler serialises calls.
/// </summary>
public interface IVisionLanguageModel : IDisposable
{
    /// <summary>Short name for logs and answers, e.g. "ppocr-v4-reader".</summary>
    string Name { get; }

    /// <summary>Long side, in pixels, of the global image this model expects.</summary>
    int GlobalLongSide { get; }

    Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken);
}

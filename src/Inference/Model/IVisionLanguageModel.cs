namespace CollabVlm.Inference;

/// <summary>
/// A model that answers a question about an image, optionally refined with a local crop.
/// Implementations must be safe to call from <see cref="MaxConcurrentCalls"/> threads at once; the
/// scheduler never runs more calls than that together.
/// </summary>
public interface IVisionLanguageModel : IDisposable
{
    /// <summary>Short name for logs and answers, e.g. "ppocr-v4-reader".</summary>
    string Name { get; }

    /// <summary>Long side, in pixels, of the global image this model expects.</summary>
    int GlobalLongSide { get; }

    /// <summary>
    /// How many calls may run at once. In-process models use every core for one call, so a second
    /// would only slow both (1); a served model batches on its own machines and wants many.
    /// </summary>
    int MaxConcurrentCalls => 1;

    Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken);
}

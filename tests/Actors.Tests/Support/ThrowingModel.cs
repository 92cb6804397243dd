using CollabVlm.Inference;

namespace CollabVlm.Actors.Tests.Support;

/// <summary>A model that always throws: the stand-in for a broken backend.</summary>
public sealed class ThrowingModel : IVisionLanguageModel
{
    public string Name => "throwing-model";
    public int GlobalLongSide => 64;

    public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken) =>
        Task.Run(ModelOutput () => throw new InvalidOperationException("weights are corrupt"), cancellationToken);

    public void Dispose() { }
}

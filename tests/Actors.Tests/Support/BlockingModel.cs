using CollabVlm.Inference;

namespace CollabVlm.Actors.Tests.Support;

/// <summary>A model whose every call returns <paramref name="result"/>: the test decides when a call ends.</summary>
public sealed class BlockingModel(Task<ModelOutput> result) : IVisionLanguageModel
{
    public string Name => "blocking";
    public int GlobalLongSide => 64;
    public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken) => result;
    public void Dispose() { }
}

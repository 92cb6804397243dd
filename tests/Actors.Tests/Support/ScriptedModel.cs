using CollabVlm.Inference;

namespace CollabVlm.Actors.Tests.Support;

/// <summary>
/// A model whose answers the test scripts: for cluster tests whose point is the protocol (fail-over,
/// streaming, memory bounds), not the reading. Reading is tested with the real model elsewhere.
/// </summary>
public sealed class ScriptedModel(Func<ModelInput, Task<ModelOutput>> answer) : IVisionLanguageModel
{
    public string Name => "scripted";
    public int GlobalLongSide => 768;
    public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken) => answer(input);
    public void Dispose() { }
}

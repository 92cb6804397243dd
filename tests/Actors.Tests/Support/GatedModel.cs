using System.Collections.Concurrent;
using CollabVlm.Inference;

namespace CollabVlm.Actors.Tests.Support;

/// <summary>A model whose calls each wait until the test releases them; declares its concurrency.</summary>
public sealed class GatedModel(int maxConcurrentCalls = 1) : IVisionLanguageModel
{
    /// <summary>The calls started so far, in order; complete one to end that call.</summary>
    public ConcurrentQueue<TaskCompletionSource<ModelOutput>> Started { get; } = new();
    public string Name => "gated";
    public int GlobalLongSide => 768;
    public int MaxConcurrentCalls => maxConcurrentCalls;

    public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken)
    {
        var call = new TaskCompletionSource<ModelOutput>(TaskCreationOptions.RunContinuationsAsynchronously);
        Started.Enqueue(call);
        return call.Task;
    }

    public void Dispose() { }
}

using CollabVlm.Inference;

namespace CollabVlm.Bench.Memory;

/// <summary>
/// A model whose every call waits until <see cref="Open"/>: questions pile up in the server's
/// queues exactly as behind a model far slower than the load, without spending CPU on inference.
/// Once open it answers at once and sure of itself (one token at probability 0.99), so each query
/// ends with its global answer.
/// </summary>
public sealed class GatedModel : IVisionLanguageModel
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public string Name => "gated";
    public int GlobalLongSide => 768;

    /// <summary>Calls started so far (one runs at a time; the scheduler queues the rest).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public void Open() => _open.TrySetResult();

    public async Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await _open.Task.WaitAsync(cancellationToken);
        return new ModelOutput("open", [new TokenStat(0.99, 0.01, 0.08)], RelevanceMap.Uniform(8, 6), 100, TimeSpan.Zero);
    }

    public void Dispose() => Open();
}

namespace CollabVlm.Inference;

/// <summary>
/// Wraps the node's model so that disposing it never frees native sessions under a running call (ONNX Runtime
/// crashes the process with a segmentation fault when a session is released while a call is inside it). Dispose
/// refuses new calls, waits up to <c>maxWait</c> for the running ones to return, and only then disposes the model;
/// if a call is still running after that, the model is left undisposed (the process is going away; a leak at exit
/// is harmless, a crash is not).
/// </summary>
public sealed class DrainingModel(IVisionLanguageModel inner, TimeSpan maxWait) : IVisionLanguageModel
{
    // A plain object, not System.Threading.Lock: Dispose waits on it with Monitor.Wait.
    private readonly object _gate = new();
    private int _running;
    private bool _closing;
    private bool _disposed;

    public string Name => inner.Name;

    public int GlobalLongSide => inner.GlobalLongSide;

    public int MaxConcurrentCalls => inner.MaxConcurrentCalls;

    /// <summary>The wrapped model (for logs that name its execution provider).</summary>
    public IVisionLanguageModel Inner => inner;

    /// <summary>Calls running now.</summary>
    public int Running
    {
        get { lock (_gate) return _running; }
    }

    /// <summary>False once disposing began: new calls are refused.</summary>
    public bool Accepting
    {
        get { lock (_gate) return !_closing; }
    }

    public async Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _running++;
        }
        try
        {
            return await inner.AnswerAsync(input, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _running--;
                if (_running == 0) Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Disposes the model once no call runs; true when it was disposed, false when a call outlived <c>maxWait</c>.</summary>
    public bool DisposeWhenIdle()
    {
        lock (_gate)
        {
            if (_disposed) return true;
            _closing = true;
            var until = DateTime.UtcNow + maxWait;
            while (_running > 0 && until - DateTime.UtcNow is var left && left > TimeSpan.Zero) Monitor.Wait(_gate, left);
            if (_running > 0) return false;
            _disposed = true;
        }
        inner.Dispose();
        return true;
    }

    public void Dispose() => DisposeWhenIdle();
}

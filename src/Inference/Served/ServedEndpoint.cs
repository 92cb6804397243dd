namespace CollabVlm.Inference.Served;

/// <summary>
/// One server behind the backend: its chat-completions URL, its HTTP client (with retries), a bound
/// on calls in flight, and whether it is being left alone after a failure (until <see cref="RetryAt"/>).
/// Thread-safe: many model calls share it.
/// </summary>
public sealed class ServedEndpoint(Uri baseUri, HttpClient client, int maxInFlight) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    private long _retryAtTicks;

    public Uri BaseUri { get; } = baseUri;

    public Uri ChatCompletions { get; } = new(baseUri.AbsoluteUri.TrimEnd('/') + "/chat/completions");

    public HttpClient Client { get; } = client;

    public int InFlight => maxInFlight - _slots.CurrentCount;

    /// <summary>Until when the endpoint is left alone; <see cref="DateTimeOffset.MinValue"/> when healthy.</summary>
    public DateTimeOffset RetryAt => new(Interlocked.Read(ref _retryAtTicks), TimeSpan.Zero);

    public bool IsAvailable(DateTimeOffset now) => RetryAt <= now;

    public Task<bool> EnterAsync(TimeSpan wait, CancellationToken cancellationToken) => _slots.WaitAsync(wait, cancellationToken);

    public void Leave() => _slots.Release();

    /// <summary>Leave it alone until <paramref name="retryAt"/>; true when it was healthy until now (for a log line per transition).</summary>
    public bool MarkFailed(DateTimeOffset retryAt) => Interlocked.Exchange(ref _retryAtTicks, retryAt.UtcTicks) == 0;

    /// <summary>A call succeeded; true when it had been marked failed.</summary>
    public bool MarkHealthy() => Interlocked.Exchange(ref _retryAtTicks, 0) != 0;

    public void Dispose()
    {
        Client.Dispose();
        _slots.Dispose();
    }
}

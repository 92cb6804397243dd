namespace CollabVlm.Inference.Served;

/// <summary>
/// Spreads calls over endpoints: available ones first, fewest calls in flight first, ties taken in
/// turn; endpoints left alone after a failure come last, the one due back soonest first, so a call
/// still has somewhere to go when every endpoint has failed once (that is how they are retried).
/// </summary>
public sealed class EndpointPool(IReadOnlyList<ServedEndpoint> endpoints, TimeProvider time) : IDisposable
{
    private int _turn;

    public IReadOnlyList<ServedEndpoint> Endpoints { get; } = endpoints.Count > 0 ? endpoints : throw new ArgumentException("an endpoint pool needs at least one endpoint", nameof(endpoints));

    /// <summary>The order in which one call tries the endpoints (each at most once).</summary>
    public IReadOnlyList<ServedEndpoint> Order()
    {
        var now = time.GetUtcNow();
        var start = (int)((uint)Interlocked.Increment(ref _turn) % (uint)Endpoints.Count);
        var rotated = Enumerable.Range(0, Endpoints.Count).Select(i => Endpoints[(start + i) % Endpoints.Count]).ToList();
        // OrderBy is stable: within equal keys the rotation decides.
        var available = rotated.Where(e => e.IsAvailable(now)).OrderBy(e => e.InFlight);
        var resting = rotated.Where(e => !e.IsAvailable(now)).OrderBy(e => e.RetryAt);
        return [.. available, .. resting];
    }

    public DateTimeOffset Now => time.GetUtcNow();

    public void Dispose()
    {
        foreach (var endpoint in Endpoints) endpoint.Dispose();
    }
}

namespace CollabVlm.TwoStage.Routing;

/// <summary>
/// An edge node's choice of server: the one with the shortest predicted wait, from what each server last reported,
/// plus one service time for every query this edge sent it since that report (so that the edges do not all pile onto
/// the same idle server between two reports). Servers that reported and accept come first; a server known but not yet
/// reported (it may still be loading its model) only when none has; one that reported it is not accepting (shutting
/// down) only when no other is known. Ties go to a random one.
/// </summary>
/// <typeparam name="TKey">How a server is named (its address).</typeparam>
public sealed class ServerChoice<TKey> where TKey : notnull
{
    private sealed record Entry(TimeSpan ReportedWait, TimeSpan ServiceTime, bool Accepting, int SentSince, bool Reported)
    {
        public TimeSpan Predicted => ReportedWait + ServiceTime * SentSince;

        /// <summary>0 = reported and accepting, 1 = not reported yet, 2 = not accepting.</summary>
        public int Rank => !Accepting ? 2 : Reported ? 0 : 1;
    }

    private readonly Dictionary<TKey, Entry> _servers = new();

    public int Count => _servers.Count;

    /// <summary>A server this edge may send to; its load is unknown until it reports.</summary>
    public void Add(TKey server) => _servers.TryAdd(server, new Entry(TimeSpan.Zero, TimeSpan.Zero, true, 0, Reported: false));

    public void Remove(TKey server) => _servers.Remove(server);

    /// <summary>A server's own report: replaces what this edge assumed about it.</summary>
    public void Report(TKey server, TimeSpan predictedWait, TimeSpan serviceTime, bool accepting) =>
        _servers[server] = new Entry(Max(predictedWait, TimeSpan.Zero), Max(serviceTime, TimeSpan.Zero), accepting, 0, Reported: true);

    /// <summary>This edge sent one query to <paramref name="server"/>.</summary>
    public void Sent(TKey server)
    {
        if (_servers.TryGetValue(server, out var entry)) _servers[server] = entry with { SentSince = entry.SentSince + 1 };
    }

    /// <summary>The wait this edge predicts at <paramref name="server"/>; null when unknown.</summary>
    public TimeSpan? PredictedWait(TKey server) => _servers.TryGetValue(server, out var entry) ? entry.Predicted : null;

    /// <summary>The server to send the next query to; false when none is known.</summary>
    public bool TryChoose(Random random, out TKey server)
    {
        server = default!;
        if (_servers.Count == 0) return false;
        var rank = _servers.Min(s => s.Value.Rank);
        var pool = _servers.Where(s => s.Value.Rank == rank).ToList();
        var shortest = pool.Min(s => s.Value.Predicted);
        var best = pool.Where(s => s.Value.Predicted == shortest).ToList();
        server = best[random.Next(best.Count)].Key;
        return true;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

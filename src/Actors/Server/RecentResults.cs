using CollabVlm.Messages;

namespace CollabVlm.Actors.Server;

/// <summary>
/// The last <c>capacity</c> final results by query, oldest evicted first, so a duplicate
/// submission after completion is answered from memory instead of recomputed.
/// </summary>
public sealed class RecentResults(int capacity)
{
    private readonly Dictionary<QueryId, IQueryMessage> _byId = new();
    private readonly Queue<QueryId> _order = new();

    public int Count => _byId.Count;

    public void Add(QueryId id, IQueryMessage result)
    {
        if (_byId.TryAdd(id, result)) _order.Enqueue(id);
        else _byId[id] = result;
        while (_byId.Count > capacity && _order.TryDequeue(out var oldest)) _byId.Remove(oldest);
    }

    public bool TryGet(QueryId id, out IQueryMessage result) => _byId.TryGetValue(id, out result!);
}

using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Server;

/// <summary>
/// The node-wide bound on local-image bytes held by retransmissions. Before asking an edge for a region
/// a retransmission reserves up to <see cref="ServerSettings.MaxLocalBytes"/> here and tells the edge
/// that cap; however many retransmissions run at once, the bytes held stay ≤ <see cref="Capacity"/>.
/// Thread-safe: retransmissions run on many threads.
/// </summary>
public sealed class LocalByteBudget(long capacity)
{
    private readonly object _gate = new();
    private long _reserved;
    private long _held;

    public long Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be > 0");

    public long Reserved { get { lock (_gate) return _reserved; } }
    public long PeakReserved { get; private set; }

    /// <summary>Bytes retransmissions actually hold now (≤ <see cref="Reserved"/>).</summary>
    public long Held { get { lock (_gate) return _held; } }
    public long PeakHeld { get; private set; }

    /// <summary>
    /// Reserves up to <paramref name="wanted"/> bytes; grants less when less is free, but never less
    /// than <paramref name="minimum"/> — then nothing (0) and the caller must do without.
    /// </summary>
    public long TryReserve(long wanted, long minimum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, minimum);
        lock (_gate)
        {
            var granted = Math.Min(wanted, Capacity - _reserved);
            if (granted < minimum) return 0;
            _reserved += granted;
            PeakReserved = Math.Max(PeakReserved, _reserved);
            return granted;
        }
    }

    /// <summary>Returns a reservation and the bytes held under it.</summary>
    public void Release(long reserved, long held)
    {
        lock (_gate)
        {
            _reserved -= reserved;
            _held -= held;
        }
    }

    public void AddHeld(long bytes)
    {
        lock (_gate)
        {
            _held += bytes;
            PeakHeld = Math.Max(PeakHeld, _held);
        }
    }
}

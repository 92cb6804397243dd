namespace CollabVlm.TwoStage.Gate;

/// <summary>
/// The last <see cref="Capacity"/> uncertainties a gate saw, oldest dropped first: a bounded window
/// over which <see cref="RetransmitBudget"/> asks where a new answer ranks (a running quantile that
/// follows a change of scenes within one window, and costs the same memory however long a node runs).
/// Not thread-safe; its owner locks.
/// </summary>
public sealed class RecentUncertainties
{
    private readonly double[] _values;
    private int _next;

    public RecentUncertainties(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the window holds at least one uncertainty");
        _values = new double[capacity];
    }

    public int Capacity => _values.Length;

    public int Count { get; private set; }

    public void Add(double uncertainty)
    {
        if (double.IsNaN(uncertainty)) throw new ArgumentException("an uncertainty is a number of bits, not NaN", nameof(uncertainty));
        _values[_next] = uncertainty;
        _next = (_next + 1) % _values.Length;
        if (Count < _values.Length) Count++;
    }

    /// <summary>How many values in the window lie strictly above <paramref name="uncertainty"/>, and how many equal it.</summary>
    public (int Above, int Equal) Rank(double uncertainty)
    {
        int above = 0, equal = 0;
        for (var i = 0; i < Count; i++)
        {
            if (_values[i] > uncertainty) above++;
            else if (_values[i] == uncertainty) equal++;
        }
        return (above, equal);
    }

    /// <summary>
    /// The smallest value of the window with at most a <paramref name="share"/> of the window strictly
    /// above it (the (1 − share) quantile, nearest rank); +∞ when the window is empty.
    /// </summary>
    public double Quantile(double share)
    {
        if (Count == 0) return double.PositiveInfinity;
        var sorted = _values.AsSpan(0, Count).ToArray();
        Array.Sort(sorted);
        var index = Math.Clamp((int)Math.Ceiling((1 - share) * Count) - 1, 0, Count - 1);
        return sorted[index];
    }
}

using CollabVlm.Inference;

namespace CollabVlm.Simulation.Evaluation;

/// <summary>A reproducible split of a set into a calibration part (η is chosen on it) and a held-out part (η is judged on it).</summary>
public static class CalibrationSplit
{
    public static (IReadOnlyList<T> Calibration, IReadOnlyList<T> HeldOut) Split<T>(IReadOnlyList<T> items, double calibrationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(calibrationFraction > 0 && calibrationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(calibrationFraction), calibrationFraction, "the calibration fraction must lie strictly between 0 and 1");
        if (items.Count < 2)
            throw new ArgumentException($"a split needs at least 2 items, got {items.Count}", nameof(items));
        var order = Enumerable.Range(0, items.Count).ToArray();
        new Random(seed).Shuffle(order);
        // Both parts non-empty whatever the fraction.
        var calibrationCount = Math.Clamp((int)Math.Round(calibrationFraction * items.Count), 1, items.Count - 1);
        // Each part keeps the set's order, so reports list questions as the manifest does.
        var calibration = order.Take(calibrationCount).Order().Select(i => items[i]).ToList();
        var heldOut = order.Skip(calibrationCount).Order().Select(i => items[i]).ToList();
        return (calibration, heldOut);
    }
}

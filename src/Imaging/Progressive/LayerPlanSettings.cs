namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Bounds for <see cref="LayerPlanner"/>. The usable share of the time left grows linearly with the
/// link view's confidence, from <see cref="UsableShareAtNoConfidence"/> to
/// <see cref="UsableShareAtFullConfidence"/>: an estimate from few transfers may be off by a
/// factor of two, so an unsure plan leaves half the time as margin.
/// <see cref="FirstLayerMaxScans"/> caps the first layer even on a fast link, so the receiver gets
/// a readable image (with <see cref="ProgressiveScanScripts.TextFirst"/>, 4 scans = luma to its
/// last bit) as early as possible and can stop the stream there.
/// </summary>
public sealed record LayerPlanSettings(
    int MaxLongSide = 1280,
    int MinLongSide = 320,
    int MinQuality = 50,
    int MaxQuality = 90,
    int MaxLayers = 4,
    double FirstLayerShareOfTime = 1.0 / 3,
    double UsableShareAtNoConfidence = 0.5,
    double UsableShareAtFullConfidence = 0.9,
    int FirstLayerMaxScans = 4)
{
    public static LayerPlanSettings Default { get; } = new();

    /// <summary>Null when usable; otherwise a sentence naming what is wrong.</summary>
    public string? Validate()
    {
        if (MinLongSide < 1 || MaxLongSide < MinLongSide)
            return $"long sides must satisfy 1 <= min ({MinLongSide}) <= max ({MaxLongSide})";
        if (MinQuality < 1 || MaxQuality > 100 || MaxQuality < MinQuality)
            return $"qualities must satisfy 1 <= min ({MinQuality}) <= max ({MaxQuality}) <= 100";
        if (MaxLayers < 1)
            return $"max layers is {MaxLayers}; at least 1 is needed";
        if (FirstLayerMaxScans < 1)
            return $"first layer max scans is {FirstLayerMaxScans}; at least 1 is needed";
        if (!(FirstLayerShareOfTime > 0 && FirstLayerShareOfTime <= 1))
            return $"first layer share of time {FirstLayerShareOfTime} must be in (0, 1]";
        if (!(UsableShareAtNoConfidence > 0 && UsableShareAtNoConfidence <= UsableShareAtFullConfidence && UsableShareAtFullConfidence <= 1))
            return $"usable shares must satisfy 0 < at no confidence ({UsableShareAtNoConfidence}) <= at full confidence ({UsableShareAtFullConfidence}) <= 1";
        return null;
    }

    /// <summary>Share of the time left the plan may fill, for a link view of this confidence (0..1).</summary>
    public double UsableShare(double confidence) =>
        UsableShareAtNoConfidence + (UsableShareAtFullConfidence - UsableShareAtNoConfidence) * Math.Clamp(confidence, 0, 1);
}

namespace CollabVlm.Bench.LinkShaped;

/// <summary>
/// What one phase of a link-shaped run measured: the shaped rate, the estimate (median over the phase's last half),
/// its error, how long after the phase began the estimate first came within the target, and how much of the link
/// the edge used while it was uploading.
/// </summary>
/// <param name="Step">Which rate of the run (0, 1, …); its second phase is the drop.</param>
/// <param name="AfterDrop">False for a step's first phase, true for the phase after the rate changed.</param>
/// <param name="EstimateBitsPerSecond">Median estimate over the last half; null when the edge had no estimate then.</param>
/// <param name="Error">(estimate − shaped) / shaped, signed; null without an estimate.</param>
/// <param name="SecondsToTarget">From the phase's start to the first reading within the target; null if none was.</param>
/// <param name="Utilization">Bytes sent in the intervals the edge was uploading / (their length × shaped rate); null when it never uploaded.</param>
/// <param name="UploadingSeconds">Length of those intervals.</param>
/// <param name="SentBytes">Everything the edge's veth sent during the phase.</param>
/// <param name="Asked">Questions the camera asked during the phase.</param>
/// <param name="Refined">Answers that came from global + local layers (each meant a local upload).</param>
/// <param name="Failed">Questions that ended failed.</param>
public sealed record LinkPhase(
    int Step, bool AfterDrop, long ShapedBitsPerSecond, double Seconds,
    double? EstimateBitsPerSecond, double? Error, double? SecondsToTarget,
    double? RoundTripMs, double? Confidence,
    double? Utilization, double UploadingSeconds, long SentBytes,
    int Asked, int Refined, int Failed)
{
    /// <summary>Whether the phase ended with the estimate within <paramref name="maxError"/> of the shaped rate.</summary>
    public bool Within(double maxError) => Error is { } e && Math.Abs(e) <= maxError;
}

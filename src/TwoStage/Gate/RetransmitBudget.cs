namespace CollabVlm.TwoStage.Gate;

/// <summary>
/// A gate that spends a share of queries instead of holding a fixed η: it retransmits the least sure
/// <see cref="TargetShare"/> of a node's gated answers. A fixed η calibrated on one camera's scenes can
/// retransmit three times as often on another's; ranking each answer among the node's recent ones
/// (<see cref="RecentUncertainties"/>) keeps the share, and with it the uplink bytes, where the
/// operator set it whatever the scenes. Two corrections keep the achieved share on target:
/// answers tied at the cut (many empty readings share the top uncertainty) are retransmitted in the
/// proportion that fills the budget, by error diffusion so the rule stays deterministic; and the share
/// asked of the window is nudged by the decisions so far, so a change of scenes does not leave a
/// debt. Thread-safe: every coordinator of a node decides through one instance.
/// </summary>
public sealed class RetransmitBudget
{
    /// <summary>Decisions over which a gap between achieved and target retransmissions is paid back.</summary>
    public const int CorrectionHorizon = 20;

    private readonly object _lock = new();
    private readonly RecentUncertainties _recent;
    private double _tieCredit;

    /// <param name="targetShare">Share of gated queries to retransmit, 0..1.</param>
    /// <param name="window">Recent uncertainties the rank is taken over.</param>
    public RetransmitBudget(double targetShare, int window)
    {
        if (!(targetShare is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(targetShare), targetShare, "a share of queries lies in [0, 1]");
        TargetShare = targetShare;
        _recent = new RecentUncertainties(window);
    }

    /// <summary>One per node from its settings, or null when the node gates with a fixed η.</summary>
    public static RetransmitBudget? For(ServerSettings settings) =>
        settings.RetransmitBudget is { } share ? new RetransmitBudget(share, settings.RetransmitBudgetWindow) : null;

    public double TargetShare { get; }

    public int Decisions { get { lock (_lock) return DecisionCount; } }

    public int Retransmitted { get { lock (_lock) return RetransmitCount; } }

    /// <summary>Share of the decisions so far that retransmitted (0 before the first).</summary>
    public double AchievedShare { get { lock (_lock) return DecisionCount == 0 ? 0 : RetransmitCount / (double)DecisionCount; } }

    private int DecisionCount { get; set; }
    private int RetransmitCount { get; set; }

    /// <summary>
    /// Ranks <paramref name="uncertainty"/> among the recent ones (itself included) and retransmits it
    /// when it falls in the least sure share. The very first answer, with nothing to rank against, is
    /// held to <paramref name="fallbackThreshold"/>. Returns the decision and the η it amounts to (the
    /// window's quantile at the share asked).
    /// </summary>
    public (bool Retransmit, double Threshold) Decide(double uncertainty, double fallbackThreshold)
    {
        if (double.IsNaN(uncertainty)) throw new ArgumentException("an uncertainty is a number of bits, not NaN", nameof(uncertainty));
        lock (_lock)
        {
            bool retransmit;
            double threshold;
            if (_recent.Count == 0)
            {
                retransmit = uncertainty > fallbackThreshold;
                threshold = fallbackThreshold;
                _recent.Add(uncertainty);
            }
            else
            {
                _recent.Add(uncertainty);
                var debt = TargetShare * DecisionCount - RetransmitCount;
                var share = Math.Clamp(TargetShare + debt / CorrectionHorizon, 0, 1);
                var (above, equal) = _recent.Rank(uncertainty);
                double n = _recent.Count, a = above / n, e = equal / n;
                if (a >= share) retransmit = false;
                else if (a + e <= share) retransmit = true;
                else
                {
                    // Part of the tie fits in the budget: retransmit that part of such answers in turn.
                    _tieCredit += (share - a) / e;
                    retransmit = _tieCredit >= 1;
                    if (retransmit) _tieCredit -= 1;
                }
                threshold = _recent.Quantile(share);
            }
            DecisionCount++;
            if (retransmit) RetransmitCount++;
            return (retransmit, threshold);
        }
    }
}

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
/// <para>
/// In its byte form (<see cref="OfBytes"/>, <c>Server:RetransmitBytesPerQuery</c>) the operator sets the extra
/// uplink bytes per gated query instead of a share: the share is that many bytes over the recent price of a local
/// image (<see cref="Spent"/> reports each one's bytes), so the node retransmits more of its answers where local
/// images are small and fewer where they are large, and the bytes stay where they were set.
/// </para>
/// </summary>
public sealed class RetransmitBudget
{
    /// <summary>Decisions over which a gap between achieved and target retransmissions is paid back.</summary>
    public const int CorrectionHorizon = 20;

    /// <summary>Local images the byte form's price is averaged over (an exponential mean of about this many).</summary>
    public const int PriceHorizon = 20;

    private readonly object _lock = new();
    private readonly RecentUncertainties _recent;
    private readonly double _share;
    private readonly double? _bytesPerQuery;
    private double _tieCredit;
    private double _price;
    private int _priced;
    private long _bytesSpent;

    /// <param name="targetShare">Share of gated queries to retransmit, 0..1.</param>
    /// <param name="window">Recent uncertainties the rank is taken over.</param>
    public RetransmitBudget(double targetShare, int window)
    {
        if (!(targetShare is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(targetShare), targetShare, "a share of queries lies in [0, 1]");
        _share = targetShare;
        _recent = new RecentUncertainties(window);
    }

    private RetransmitBudget(long bytesPerQuery, int window, long priorLocalBytes) : this(0, window)
    {
        if (bytesPerQuery < 0) throw new ArgumentOutOfRangeException(nameof(bytesPerQuery), bytesPerQuery, "extra bytes per query are ≥ 0");
        if (priorLocalBytes < 1) throw new ArgumentOutOfRangeException(nameof(priorLocalBytes), priorLocalBytes, "a local image's assumed size is ≥ 1 byte");
        _bytesPerQuery = bytesPerQuery;
        _price = priorLocalBytes;
    }

    /// <summary>
    /// The byte form: spend <paramref name="bytesPerQuery"/> extra uplink bytes per gated query on average, a local
    /// image assumed to cost <paramref name="priorLocalBytes"/> until <see cref="Spent"/> reported one.
    /// </summary>
    public static RetransmitBudget OfBytes(long bytesPerQuery, int window, long priorLocalBytes) => new(bytesPerQuery, window, priorLocalBytes);

    /// <summary>One per node from its settings, or null when the node gates with a fixed η.</summary>
    public static RetransmitBudget? For(ServerSettings settings) =>
        settings.RetransmitBudget is { } share ? new RetransmitBudget(share, settings.RetransmitBudgetWindow)
        : settings.RetransmitBytesPerQuery is { } bytes ? OfBytes(bytes, settings.RetransmitBudgetWindow, settings.MinLocalBytes)
        : null;

    /// <summary>The share of gated queries it aims at: the set share, or in the byte form the bytes over the recent price of a local image.</summary>
    public double TargetShare { get { lock (_lock) return Target; } }

    /// <summary>The byte form's extra bytes per gated query; null for a share.</summary>
    public double? BytesPerQuery => _bytesPerQuery;

    /// <summary>Local-image bytes reported through <see cref="Spent"/> per decision so far (0 before the first).</summary>
    public double AchievedBytesPerQuery { get { lock (_lock) return DecisionCount == 0 ? 0 : _bytesSpent / (double)DecisionCount; } }

    private double Target => _bytesPerQuery is { } bytes ? Math.Clamp(bytes / _price, 0, 1) : _share;

    /// <summary>
    /// The uplink bytes one retransmission this budget decided took (0 when the transfer failed): the byte form's
    /// price follows them. A share budget only counts them.
    /// </summary>
    public void Spent(long localBytes)
    {
        if (localBytes < 0) throw new ArgumentOutOfRangeException(nameof(localBytes), localBytes, "bytes received are ≥ 0");
        lock (_lock)
        {
            _bytesSpent += localBytes;
            _priced++;
            // A plain mean over the first few, then exponential: the prior is forgotten at the first real image.
            // Floored at one byte: transfers that sent nothing must not make the next ones free.
            _price = Math.Max(1, _price + (localBytes - _price) / Math.Min(_priced, PriceHorizon));
        }
    }

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
                var target = Target;
                // The byte form's debt is in bytes (images not yet reported counted at the current price), in images.
                var debt = _bytesPerQuery is { } bytes
                    ? (bytes * DecisionCount - _bytesSpent - Math.Max(0, RetransmitCount - _priced) * _price) / _price
                    : target * DecisionCount - RetransmitCount;
                var share = Math.Clamp(target + debt / CorrectionHorizon, 0, 1);
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

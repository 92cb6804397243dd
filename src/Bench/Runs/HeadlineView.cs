namespace CollabVlm.Bench.Runs;

/// <summary>
/// Which passes the headline strategies come from: the cluster's (edge → server over TCP) or, in
/// direct mode, the in-process ones (gated replayed from the global score).
/// </summary>
public sealed record HeadlineView(string Mode, Func<QuestionRecord, PassResult?> GlobalOnly, Func<QuestionRecord, PassResult?> Always, Func<QuestionRecord, PassResult?> Gated)
{
    public const string ClusterMode = "cluster";
    public const string DirectMode = "direct";

    public static HeadlineView Cluster { get; } = new(ClusterMode, r => r.ClusterGlobalOnly, r => r.ClusterAlways, r => r.ClusterGated);

    public static HeadlineView Direct(string spec, double threshold) => new(DirectMode, r => r.GlobalPass, r => r.RefinedPass,
        r => r.GlobalScores[spec] > threshold ? r.RefinedPass : r.GlobalPass);
}

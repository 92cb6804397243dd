namespace CollabVlm.Messages;

/// <summary>
/// Per-query options chosen by the edge. <paramref name="Threshold"/> overrides the server's η
/// when set (used by benchmarks that sweep η).
/// </summary>
public sealed record QueryOptions(TimeSpan Deadline, RetransmitPolicy Policy = RetransmitPolicy.Gated, double? Threshold = null)
{
    public static QueryOptions Default { get; } = new(TimeSpan.FromSeconds(30));
}

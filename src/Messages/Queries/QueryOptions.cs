using CollabVlm.Primitives;

namespace CollabVlm.Messages;

/// <summary>
/// Per-query options chosen by the edge. <paramref name="Threshold"/> overrides the server's η
/// when set (used by benchmarks that sweep η); <paramref name="RefineOn"/> overrides the server's
/// choice of when to run the refined pass.
/// </summary>
public sealed record QueryOptions(TimeSpan Deadline, RetransmitPolicy Policy = RetransmitPolicy.Gated, double? Threshold = null, RefineOn? RefineOn = null)
{
    public static QueryOptions Default { get; } = new(TimeSpan.FromSeconds(30));
}

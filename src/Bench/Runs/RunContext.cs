namespace CollabVlm.Bench.Runs;

/// <summary>How a run was made: what the report states beside its figures.</summary>
/// <summary>
/// What a run was asked to do, as its analysis needs it; <paramref name="Budget"/> is <c>Server:RetransmitBudget</c>
/// (null: fixed η); <paramref name="BudgetReplayed"/>: the budget is replayed on the records even in cluster mode (the
/// cluster ran without it, e.g. <c>report --budget</c>). <paramref name="BudgetBytes"/> is the byte form
/// (<c>Server:RetransmitBytesPerQuery</c>), always replayed on the records. <paramref name="EdgeScan"/>: whether the
/// cluster's edge scanned its frames and snapped the regions (<c>Edge:ProposeRegions</c>); null where a run did not record it.
/// </summary>
public sealed record RunContext(string DatasetFolder, int Planned, bool Interrupted, double Threshold, int Seed, bool Direct, string Link, string Model,
    double? Budget = null, int BudgetWindow = 200, bool BudgetReplayed = false, long? BudgetBytes = null, bool? EdgeScan = null);

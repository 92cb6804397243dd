namespace CollabVlm.Inference;

/// <summary>
/// What the edge's detector found in one frame within its budget: the proposals, how long it ran,
/// how many of the planned tiles it covered (fewer when the time budget ran out or it was cancelled)
/// and the scale it ran at (detector pixels per original pixel, 1 = full resolution).
/// </summary>
public sealed record ProposalSet(IReadOnlyList<TextProposal> Proposals, TimeSpan Elapsed, int TilesDone, int TilesPlanned, double Scale)
{
    public static ProposalSet Empty { get; } = new([], TimeSpan.Zero, 0, 0, 0);

    public bool Complete => TilesDone == TilesPlanned;
}

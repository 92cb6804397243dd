namespace CollabVlm.Actors.Edge.Link;

/// <summary>Ask the <see cref="LinkEstimator"/> for its current <see cref="Messages.LinkView"/>.</summary>
public sealed record GetLinkView
{
    public static GetLinkView Instance { get; } = new();

    private GetLinkView() { }
}

using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge.Link;

/// <summary>Ask the <see cref="LinkEstimator"/> for its current <see cref="CollabVlm.Primitives.LinkView"/>.</summary>
public sealed record GetLinkView
{
    public static GetLinkView Instance { get; } = new();

    private GetLinkView() { }
}

using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge.Link;

/// <summary>Ask an <see cref="EdgeDevice"/> for its current <see cref="CollabVlm.Primitives.LinkView"/> (benchmarks and tests read it).</summary>
public sealed record GetLinkView
{
    public static GetLinkView Instance { get; } = new();

    private GetLinkView() { }
}

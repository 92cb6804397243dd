namespace CollabVlm.Messages;

/// <summary>Identifies one question about one frame for its whole life, across re-submissions.</summary>
public readonly record struct QueryId(Guid Value)
{
    public static QueryId New() => new(Guid.NewGuid());

    public override string ToString() => Value.ToString("N")[..12];
}

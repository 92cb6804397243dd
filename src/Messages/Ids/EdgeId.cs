namespace CollabVlm.Messages;

/// <summary>Identifies one edge device (a camera). Several may live in one edge node process.</summary>
public readonly record struct EdgeId(string Value)
{
    public override string ToString() => Value;
}

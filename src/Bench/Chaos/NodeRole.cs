namespace CollabVlm.Bench.Chaos;

/// <summary>Which executable a chaos node runs.</summary>
public enum NodeRole
{
    Server,
    Edge,
}

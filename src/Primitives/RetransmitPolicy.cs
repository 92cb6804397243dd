namespace CollabVlm.Primitives;

/// <summary>When the server asks the edge for a local crop after the global pass.</summary>
public enum RetransmitPolicy
{
    /// <summary>Only when the global answer's uncertainty exceeds the threshold η (the default).</summary>
    Gated,
    /// <summary>Never: the global answer is always final.</summary>
    Never,
    /// <summary>Always, whatever the uncertainty (the accuracy ceiling of the two-stage scheme).</summary>
    Always,
}

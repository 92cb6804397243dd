namespace CollabVlm.Messages;

/// <summary>Which pass produced an answer.</summary>
public enum AnswerStage
{
    /// <summary>The global pass was sure enough (or the policy said never retransmit).</summary>
    Global,
    /// <summary>The refined pass over global + local images.</summary>
    Refined,
    /// <summary>The local stage failed (edge silent, stream broke, deadline); this is the global answer.</summary>
    Degraded,
}

namespace CollabVlm.Primitives;

/// <summary>When the server runs the refined pass while progressive layers of the local image arrive.</summary>
public enum RefineOn
{
    /// <summary>Once, on everything that arrived when the stream ends or the deadline comes (fewest model runs).</summary>
    Last,

    /// <summary>
    /// After each layer; when a pass is sure enough (uncertainty ≤ η) the stream is cancelled and the
    /// layers not yet sent are saved. Costs up to one model run per layer.
    /// </summary>
    EachLayer,
}

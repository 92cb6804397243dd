namespace CollabVlm.Inference.Served;

/// <summary>Where a served model's relevance map comes from (none of the servers returns attention).</summary>
public enum ServedRelevance
{
    /// <summary>A second request on the global pass asks the model for the answer's bounding box.</summary>
    Grounding,
    /// <summary>No extra request: a centred Gaussian.</summary>
    CentrePrior,
}

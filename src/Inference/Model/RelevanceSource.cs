namespace CollabVlm.Inference;

/// <summary>Where a <see cref="ModelOutput"/>'s relevance map came from, so a benchmark can tell attention from a stand-in.</summary>
public enum RelevanceSource
{
    /// <summary>The backend did not say.</summary>
    Unspecified,
    /// <summary>The text detector's probability map (the reader).</summary>
    Detector,
    /// <summary>ViCrop rel-att from the decoder's attention outputs.</summary>
    Attention,
    /// <summary>
    /// The export has no attention outputs: cosine similarity between each image token's feature
    /// and the mean embedding of the question's tokens, clipped at zero (a documented proxy).
    /// </summary>
    FeatureSimilarityProxy,
    /// <summary>
    /// A served model has no attention to show: it was asked for the box of the region that answers
    /// the question, and the map is that box (1 inside, 0 outside).
    /// </summary>
    Grounding,
    /// <summary>
    /// No model signal at all (grounding switched off, or its answer held no usable box): a Gaussian
    /// centred on the image, because photographed subjects sit near the centre more often than not.
    /// </summary>
    CentrePrior,
}

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
}

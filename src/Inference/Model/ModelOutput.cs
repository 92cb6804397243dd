namespace CollabVlm.Inference;

/// <summary>
/// The model's answer with per-token statistics (one per generated token; for the reader one per
/// kept CTC step), the relevance map over the global image, and the size of the vocabulary the
/// tokens were drawn from (which bounds the entropy: an empty answer counts as log2 of it).
/// </summary>
public sealed record ModelOutput(
    string Answer,
    IReadOnlyList<TokenStat> Tokens,
    RelevanceMap Relevance,
    int VocabularySize,
    TimeSpan ModelTime,
    RelevanceSource RelevanceSource = RelevanceSource.Unspecified);

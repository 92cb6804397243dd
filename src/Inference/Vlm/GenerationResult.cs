namespace CollabVlm.Inference.Vlm;

/// <summary>
/// What one greedy generation produced: the answer's token ids (stop token excluded), one
/// <see cref="TokenStat"/> per answer token, each step's full logits when asked for (tests compare
/// cached and uncached decoding with them), whether a stop token ended it, and the prompt's last
/// token's attention (mean over heads, over all prompt positions) at the chosen layer when the
/// export has attention outputs.
/// </summary>
public sealed record GenerationResult(
    IReadOnlyList<long> TokenIds,
    IReadOnlyList<TokenStat> Tokens,
    IReadOnlyList<float[]> StepLogits,
    bool Stopped,
    float[]? LastPromptTokenAttention);

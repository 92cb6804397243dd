namespace CollabVlm.Inference.Served;

/// <summary>
/// What a chat completion answered: the text (empty when the model refused), the refusal text if
/// any, per-token log-probabilities (null when the server sent none) and why it stopped.
/// </summary>
public sealed record ChatCompletionResult(string Text, string? Refusal, IReadOnlyList<ChatTokenLogprobs>? Tokens, string? FinishReason);

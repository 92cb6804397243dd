namespace CollabVlm.Inference.Served;

/// <summary>One generated token as a server reports it: its text, its log-probability, and the top alternatives' log-probabilities (natural log).</summary>
public sealed record ChatTokenLogprobs(string Token, double Logprob, IReadOnlyList<double> TopLogprobs, bool ChosenListed);

namespace CollabVlm.Inference.Tests.Served;

/// <summary>What the stand-in answers: status, JSON (or not) body, optional Retry-After seconds, and a delay before answering.</summary>
public sealed record StandInReply(int Status, string Body, int? RetryAfterSeconds = null, TimeSpan Delay = default)
{
    public static StandInReply Ok(string body) => new(200, body);
}

using System.Text.Json;

namespace CollabVlm.Inference.Tests.Served;

/// <summary>One request the stand-in received: path, Authorization header and the JSON body as sent.</summary>
public sealed record StandInRequest(string Path, string? Authorization, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The image URLs of the first message, in order.</summary>
    public IReadOnlyList<string> ImageUrls => [.. Json.GetProperty("messages")[0].GetProperty("content").EnumerateArray()
        .Where(p => p.GetProperty("type").GetString() == "image_url")
        .Select(p => p.GetProperty("image_url").GetProperty("url").GetString()!)];

    /// <summary>The text part of the first message.</summary>
    public string Text => Json.GetProperty("messages")[0].GetProperty("content").EnumerateArray()
        .Where(p => p.GetProperty("type").GetString() == "text").Select(p => p.GetProperty("text").GetString()!).Single();

    /// <summary>True when the request asked for log-probabilities (the answer passes do; the grounding request does not).</summary>
    public bool AsksLogprobs => Json.TryGetProperty("logprobs", out var l) && l.ValueKind == JsonValueKind.True;
}

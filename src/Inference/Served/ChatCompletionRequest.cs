using System.Text.Json;
using System.Text.Json.Nodes;

namespace CollabVlm.Inference.Served;

/// <summary>
/// The body of a <c>POST {base}/chat/completions</c> request in the shape all four servers accept:
/// one user message whose content is the images (base64 data URLs, in order) followed by the text,
/// greedy decoding, and per-token log-probabilities with <c>top_logprobs</c> alternatives.
/// <c>max_tokens</c>, not <c>max_completion_tokens</c>: the older name is the one every
/// OpenAI-compatible server reads.
/// </summary>
public static class ChatCompletionRequest
{
    public static byte[] Build(string model, string text, IReadOnlyList<ChatImage> images, int maxTokens, int? topLogprobs, string imageDetail = "")
    {
        var content = new JsonArray();
        foreach (var image in images)
        {
            var url = new JsonObject { ["url"] = image.DataUrl };
            if (imageDetail.Length > 0) url["detail"] = imageDetail;
            content.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = url });
        }
        content.Add(new JsonObject { ["type"] = "text", ["text"] = text });

        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
            ["max_tokens"] = maxTokens,
            // Greedy: the answer is the argmax path, so each token's top-1 log-prob is its own.
            ["temperature"] = 0,
            ["stream"] = false,
        };
        if (topLogprobs is { } k)
        {
            body["logprobs"] = true;
            body["top_logprobs"] = k;
        }
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}

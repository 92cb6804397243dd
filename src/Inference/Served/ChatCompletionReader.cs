using System.Text;
using System.Text.Json;

namespace CollabVlm.Inference.Served;

/// <summary>
/// Reads chat-completion responses and error bodies in the shapes vLLM, SGLang, llama.cpp server and
/// Ollama document: <c>choices[0].message.content</c> (a string, or an array of text parts),
/// <c>choices[0].message.refusal</c>, and <c>choices[0].logprobs.content[*]</c> with <c>token</c>,
/// <c>logprob</c> and <c>top_logprobs[*].{token, logprob}</c>. Fields a server adds (llama.cpp's
/// <c>id</c>, everyone's <c>bytes</c>) are ignored; a missing required field is a
/// <see cref="FormatException"/> naming it.
/// </summary>
public static class ChatCompletionReader
{
    /// <exception cref="FormatException">The body is not JSON or lacks the fields above.</exception>
    public static ChatCompletionResult Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"the response is not JSON ({e.Message}); it starts: {Excerpt(body)}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
                throw new FormatException($"the response has no 'choices' array; it starts: {Excerpt(body)}");
            if (choices.GetArrayLength() == 0)
                throw new FormatException("the response's 'choices' array is empty");
            var choice = choices[0];
            if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
                throw new FormatException("choices[0] has no 'message' object");

            var text = ContentText(message);
            var refusal = message.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } said ? said : null;
            var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            IReadOnlyList<ChatTokenLogprobs>? tokens = null;
            if (choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object)
            {
                // A refusal's tokens are under logprobs.refusal (OpenAI); the answer's under logprobs.content.
                var list = logprobs.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Array ? c
                    : logprobs.TryGetProperty("refusal", out var rc) && rc.ValueKind == JsonValueKind.Array ? rc
                    : default;
                if (list.ValueKind == JsonValueKind.Array) tokens = ReadTokens(list);
            }
            return new ChatCompletionResult(text, refusal, tokens, finish);
        }
    }

    /// <summary>
    /// The human-readable message of an error body: <c>{"error": {"message": …}}</c> (OpenAI, llama.cpp,
    /// Ollama, newer vLLM), <c>{"message": …}</c> (older vLLM), <c>{"error": "…"}</c> (Ollama's native
    /// API), or the start of the body as text.
    /// </summary>
    public static string ErrorMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.String) return error.GetString() ?? "";
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                        return m.GetString() ?? "";
                }
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    return message.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the text itself is the best message there is.
        }
        return Excerpt(body);
    }

    private static string ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content)) return "";
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString() ?? "";
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                        text.Append(t.GetString());
                return text.ToString();
            case JsonValueKind.Null:
                return "";
            default:
                throw new FormatException($"choices[0].message.content is a {content.ValueKind}, expected a string");
        }
    }

    private static List<ChatTokenLogprobs> ReadTokens(JsonElement list)
    {
        var tokens = new List<ChatTokenLogprobs>(list.GetArrayLength());
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("logprob", out var lp) || !TryNumber(lp, out var logprob))
                throw new FormatException($"logprobs.content[{index}] has no numeric 'logprob'");
            var token = entry.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
            var top = new List<double>();
            var listed = false;
            if (entry.TryGetProperty("top_logprobs", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
            {
                foreach (var alternative in alternatives.EnumerateArray())
                {
                    if (alternative.ValueKind != JsonValueKind.Object || !alternative.TryGetProperty("logprob", out var alp) || !TryNumber(alp, out var value))
                        throw new FormatException($"logprobs.content[{index}].top_logprobs has an entry without a numeric 'logprob'");
                    top.Add(value);
                    listed |= alternative.TryGetProperty("token", out var at) && at.ValueKind == JsonValueKind.String && at.GetString() == token;
                }
            }
            tokens.Add(new ChatTokenLogprobs(token, logprob, top, listed || top.Count == 0));
            index++;
        }
        return tokens;
    }

    // −Infinity travels as a string in some encoders, or as a huge negative number (vLLM: −9999).
    private static bool TryNumber(JsonElement element, out double value)
    {
        if (element.ValueKind == JsonValueKind.Number) return element.TryGetDouble(out value);
        value = double.NegativeInfinity;
        return element.ValueKind == JsonValueKind.Null
            || (element.ValueKind == JsonValueKind.String && element.GetString() is "-inf" or "-Infinity");
    }

    private static string Excerpt(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]).ReplaceLineEndings(" ");
        return body.Length > 200 ? text + "…" : text;
    }
}

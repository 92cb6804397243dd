using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CollabVlm.Inference.Tests.Served;

/// <summary>
/// Response bodies in the shapes the servers document for <c>/v1/chat/completions</c> (field names,
/// nesting, the extra fields each adds), for the stand-in to send. Each answer token gets top-1
/// probability <c>p1</c>; the k − 1 alternatives take (1 − p1)/2, (1 − p1)/4, …, leaving the rest as the
/// unlisted tail, so a test knows every probability exactly.
/// </summary>
public static class ServedShapes
{
    /// <summary>The probabilities of one token's top-k list, descending.</summary>
    public static double[] TopProbabilities(double p1, int k) => [p1, .. Enumerable.Range(1, k - 1).Select(i => (1 - p1) * Math.Pow(0.5, i))];

    /// <summary>Answer tokens: words, later ones with their leading space (as BPE tokenizers split them).</summary>
    public static string[] Tokens(string text) => [.. text.Split(' ').Select((w, i) => i == 0 ? w : " " + w)];

    /// <summary>vLLM: OpenAI's shape plus <c>reasoning_content</c>, <c>stop_reason</c>, <c>prompt_logprobs</c>; <c>bytes</c> per token.</summary>
    public static string Vllm(string text, double p1, int k = 5) => Write(new JsonObject
    {
        ["id"] = "chatcmpl-standin",
        ["object"] = "chat.completion",
        ["created"] = 1764460800,
        ["model"] = "Qwen/Qwen2.5-VL-7B-Instruct",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["reasoning_content"] = null, ["content"] = text, ["tool_calls"] = new JsonArray() },
            ["logprobs"] = Logprobs(text, p1, k, withIds: false),
            ["finish_reason"] = "stop",
            ["stop_reason"] = null,
        }),
        ["usage"] = Usage(text),
        ["prompt_logprobs"] = null,
    });

    /// <summary>llama.cpp server: token <c>id</c>s beside the strings, <c>system_fingerprint</c>, <c>timings</c>.</summary>
    public static string LlamaCpp(string text, double p1, int k = 5) => Write(new JsonObject
    {
        ["choices"] = new JsonArray(new JsonObject
        {
            ["finish_reason"] = "stop",
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["logprobs"] = Logprobs(text, p1, k, withIds: true),
        }),
        ["created"] = 1764460800,
        ["model"] = "qwen2.5-vl-7b-instruct-q4_k_m.gguf",
        ["system_fingerprint"] = "b6000-standin",
        ["object"] = "chat.completion",
        ["usage"] = Usage(text),
        ["id"] = "chatcmpl-standin",
        ["timings"] = new JsonObject { ["prompt_n"] = 300, ["prompt_ms"] = 120.5, ["predicted_n"] = Tokens(text).Length, ["predicted_ms"] = 80.2 },
    });

    /// <summary>Ollama's OpenAI-compatible endpoint: <c>system_fingerprint</c> "fp_ollama".</summary>
    public static string Ollama(string text, double p1, int k = 5) => Write(new JsonObject
    {
        ["id"] = "chatcmpl-123",
        ["object"] = "chat.completion",
        ["created"] = 1764460800,
        ["model"] = "qwen2.5vl:7b",
        ["system_fingerprint"] = "fp_ollama",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["finish_reason"] = "stop",
            ["logprobs"] = Logprobs(text, p1, k, withIds: false),
        }),
        ["usage"] = Usage(text),
    });

    /// <summary>SGLang: OpenAI's shape plus <c>matched_stop</c>.</summary>
    public static string Sglang(string text, double p1, int k = 5) => Write(new JsonObject
    {
        ["id"] = "standin",
        ["object"] = "chat.completion",
        ["created"] = 1764460800,
        ["model"] = "Qwen/Qwen2.5-VL-7B-Instruct",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["reasoning_content"] = null, ["tool_calls"] = null },
            ["logprobs"] = Logprobs(text, p1, k, withIds: false),
            ["finish_reason"] = "stop",
            ["matched_stop"] = 151645,
        }),
        ["usage"] = Usage(text),
    });

    /// <summary>vLLM when the request did not get log-probabilities: <c>"logprobs": null</c>.</summary>
    public static string VllmWithoutLogprobs(string text)
    {
        var node = JsonNode.Parse(Vllm(text, 1, 1))!;
        node["choices"]![0]!["logprobs"] = null;
        return Write(node);
    }

    /// <summary>Ollama before log-probability support: no <c>logprobs</c> key at all.</summary>
    public static string OllamaWithoutLogprobs(string text)
    {
        var node = JsonNode.Parse(Ollama(text, 1, 1))!;
        node["choices"]![0]!.AsObject().Remove("logprobs");
        return Write(node);
    }

    /// <summary>A refusal in OpenAI's shape: <c>content</c> null, <c>refusal</c> text, its tokens under <c>logprobs.refusal</c>.</summary>
    public static string Refusal(string text) => Write(new JsonObject
    {
        ["id"] = "chatcmpl-standin",
        ["object"] = "chat.completion",
        ["created"] = 1764460800,
        ["model"] = "Qwen/Qwen2.5-VL-7B-Instruct",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = null, ["refusal"] = text },
            ["logprobs"] = new JsonObject { ["content"] = null, ["refusal"] = Logprobs(text, 0.9, 2, false)["content"]!.DeepClone() },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = Usage(text),
    });

    /// <summary>A grounding answer as Qwen2.5-VL writes it: JSON in a code fence, <c>bbox_2d</c> in pixels.</summary>
    public static string QwenGrounding(int x0, int y0, int x1, int y1) =>
        VllmWithoutLogprobs($"```json\n[\n\t{{\"bbox_2d\": [{x0}, {y0}, {x1}, {y1}], \"label\": \"sign\"}}\n]\n```");

    /// <summary>The error body of OpenAI, llama.cpp, Ollama and newer vLLM: <c>{"error": {"message", "type", "code"}}</c>.</summary>
    public static string Error(int code, string message, string type = "BadRequestError") => Write(new JsonObject
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
    });

    /// <summary>Older vLLM's flat error body.</summary>
    public static string FlatError(int code, string message) => Write(new JsonObject
    {
        ["object"] = "error", ["message"] = message, ["type"] = "BadRequestError", ["param"] = null, ["code"] = code,
    });

    private static JsonObject Logprobs(string text, double p1, int k, bool withIds)
    {
        var content = new JsonArray();
        var id = 1000;
        foreach (var token in Tokens(text))
        {
            var probs = TopProbabilities(p1, k);
            var top = new JsonArray();
            for (var i = 0; i < probs.Length; i++)
            {
                var alternative = i == 0 ? token : $"{token}~{i}";
                top.Add(Entry(alternative, Math.Log(probs[i]), withIds ? id + i : null));
            }
            var entry = Entry(token, Math.Log(p1), withIds ? id : null);
            entry["top_logprobs"] = top;
            content.Add(entry);
            id += 100;
        }
        return new JsonObject { ["content"] = content };
    }

    private static JsonObject Entry(string token, double logprob, int? id)
    {
        var entry = new JsonObject();
        if (id is { } i) entry["id"] = i;
        entry["token"] = token;
        entry["logprob"] = logprob;
        entry["bytes"] = new JsonArray([.. Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)(int)b)]);
        return entry;
    }

    private static JsonObject Usage(string text) => new() { ["prompt_tokens"] = 300, ["completion_tokens"] = Tokens(text).Length, ["total_tokens"] = 300 + Tokens(text).Length };

    private static string Write(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}

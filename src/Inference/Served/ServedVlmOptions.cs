namespace CollabVlm.Inference.Served;

/// <summary>
/// Settings of the served-VLM backend (<c>Model:Backend=openai</c>): one or more OpenAI-compatible
/// chat-completions servers (vLLM, SGLang, llama.cpp server, Ollama). <see cref="ToString"/> is
/// written by hand: the generated one would print <see cref="ApiKey"/> into any log that formats it.
/// </summary>
public sealed record ServedVlmOptions
{
    /// <summary>Base URLs up to the API version, e.g. <c>http://vllm-0:8000/v1</c>; calls are spread over them.</summary>
    public string[] Endpoints { get; init; } = [];

    /// <summary>The <c>model</c> field of every request: the name the server serves the model under.</summary>
    public string ModelName { get; init; } = "";

    /// <summary>Sent as <c>Authorization: Bearer …</c>; usually from <c>COLLABVLM_Model__ApiKey</c>. Never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// A file holding the key (a mounted secret); used when <see cref="ApiKey"/> is empty. A missing
    /// file means no key, so an optional Secret may be absent; read once at start-up.
    /// </summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Long side, in pixels, of the global image the edges send.</summary>
    public int GlobalLongSide { get; init; } = 768;

    public int MaxNewTokens { get; init; } = 32;

    /// <summary>
    /// Alternatives per token asked for (<c>top_logprobs</c>). Max probability needs 1; the second
    /// probability and Shannon entropy get tighter with more. Servers cap it: vLLM at
    /// <c>--max-logprobs</c> (default 20), Ollama and OpenAI at 20.
    /// </summary>
    public int TopLogprobs { get; init; } = 10;

    /// <summary>Tokens in the model's vocabulary: an empty answer scores log2 of it, and it bounds the entropy from above. Qwen2.5-VL: 152064.</summary>
    public int VocabularySize { get; init; } = 152064;

    /// <summary>Prompt of the global pass (one image); <c>{question}</c> is replaced by the question.</summary>
    public string GlobalPrompt { get; init; } = "{question}\nAnswer with a single word or short phrase.";

    /// <summary>Prompt of the refined pass (global then local image in one message).</summary>
    public string RefinedPrompt { get; init; } =
        "The first image shows the whole scene; the second is an enlarged detail of it, cut from the full-resolution original. {question}\nAnswer with a single word or short phrase.";

    /// <summary>Where the region of interest comes from: <c>Grounding</c> (ask the model for a box) or <c>CentrePrior</c>.</summary>
    public ServedRelevance Relevance { get; init; } = ServedRelevance.Grounding;

    /// <summary>
    /// Grounding prompt; <c>{question}</c>, <c>{width}</c>, <c>{height}</c> are replaced. The default
    /// asks for Qwen2.5-VL's own answer format (JSON with <c>bbox_2d</c> in pixels).
    /// </summary>
    public string GroundingPrompt { get; init; } =
        "Find the region of the image that holds the answer to the question \"{question}\". " +
        "Output its bounding box as JSON: [{\"bbox_2d\": [x1, y1, x2, y2]}] in pixels of this {width}x{height} image.";

    /// <summary>How the grounding answer's numbers are read: Auto, Pixels, Permille (Qwen2-VL's 0–1000) or Unit (0–1).</summary>
    public BoxCoordinates GroundingCoordinates { get; init; } = BoxCoordinates.Auto;

    /// <summary>Image <c>detail</c> field (<c>low</c>, <c>high</c>, <c>auto</c>) for servers that honour it; empty = not sent.</summary>
    public string ImageDetail { get; init; } = "";

    /// <summary>One HTTP attempt, from request to response headers.</summary>
    public double AttemptTimeoutSeconds { get; init; } = 30;

    /// <summary>One call to one endpoint, retries and back-off waits included; then the next endpoint is tried.</summary>
    public double CallTimeoutSeconds { get; init; } = 60;

    /// <summary>Retries on 408, 429, 5xx and connection faults, per endpoint, with exponential back-off or the server's Retry-After.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Base of the exponential back-off between retries.</summary>
    public double RetryDelaySeconds { get; init; } = 1;

    /// <summary>Calls in flight to one endpoint at most (the node runs endpoints × this many model calls at once).</summary>
    public int MaxInFlightPerEndpoint { get; init; } = 8;

    /// <summary>An endpoint whose call failed is left alone this long, then tried again.</summary>
    public double EndpointRetryAfterSeconds { get; init; } = 15;

    /// <summary>
    /// Accepted and ignored: the shipped appsettings.json and the Kubernetes base set it for every
    /// backend. A served model runs wherever its server runs.
    /// </summary>
    public string? ExecutionProvider { get; init; }

    /// <summary>Null when usable; otherwise a sentence naming the bad setting.</summary>
    public string? Validate()
    {
        if (Endpoints.Length == 0)
            return "Model:Endpoints (--openai-endpoint) must name at least one server base URL, e.g. http://vllm-0:8000/v1, when Model:Backend is openai";
        foreach (var endpoint in Endpoints)
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                return $"Model:Endpoints entry '{endpoint}' is not an http(s) URL such as http://vllm-0:8000/v1";
        if (string.IsNullOrWhiteSpace(ModelName))
            return "Model:ModelName (--openai-model) must name the served model, e.g. Qwen/Qwen2.5-VL-7B-Instruct";
        return GlobalLongSide < 32 ? "Model:GlobalLongSide must be ≥ 32"
            : MaxNewTokens < 1 ? "Model:MaxNewTokens must be ≥ 1"
            : TopLogprobs is < 1 or > 100 ? "Model:TopLogprobs must lie in 1..100 (servers cap it: vLLM --max-logprobs, Ollama 20)"
            : VocabularySize < 2 ? "Model:VocabularySize must be ≥ 2"
            : !GlobalPrompt.Contains("{question}", StringComparison.Ordinal) ? "Model:GlobalPrompt must contain {question}"
            : !RefinedPrompt.Contains("{question}", StringComparison.Ordinal) ? "Model:RefinedPrompt must contain {question}"
            : !GroundingPrompt.Contains("{question}", StringComparison.Ordinal) ? "Model:GroundingPrompt must contain {question}"
            : ImageDetail is not ("" or "low" or "high" or "auto") ? "Model:ImageDetail must be empty, low, high or auto"
            : !(AttemptTimeoutSeconds > 0) || !(CallTimeoutSeconds >= AttemptTimeoutSeconds) ? "Model:AttemptTimeoutSeconds must be > 0 and Model:CallTimeoutSeconds ≥ it"
            : MaxRetries is < 0 or > 10 ? "Model:MaxRetries must lie in 0..10"
            : !(RetryDelaySeconds > 0) ? "Model:RetryDelaySeconds must be > 0"
            : MaxInFlightPerEndpoint < 1 ? "Model:MaxInFlightPerEndpoint must be ≥ 1"
            : !(EndpointRetryAfterSeconds >= 0) ? "Model:EndpointRetryAfterSeconds must be ≥ 0"
            : null;
    }

    public override string ToString() =>
        $"ServedVlmOptions {{ Endpoints = [{string.Join(", ", Endpoints)}], ModelName = {ModelName}, ApiKey = {(HasApiKey() ? "set" : "none")}, Relevance = {Relevance}, TopLogprobs = {TopLogprobs} }}";

    private bool HasApiKey() => !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(ApiKeyFile);

    /// <summary>The key from <see cref="ApiKey"/>, else from <see cref="ApiKeyFile"/> if it exists (trimmed), else null.</summary>
    public string? ResolveApiKey() =>
        !string.IsNullOrWhiteSpace(ApiKey) ? ApiKey.Trim()
        : !string.IsNullOrWhiteSpace(ApiKeyFile) && File.Exists(ApiKeyFile) ? File.ReadAllText(ApiKeyFile).Trim() is { Length: > 0 } key ? key : null
        : null;
}

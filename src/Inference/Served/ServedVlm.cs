using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using CollabVlm.Imaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Timeout;

namespace CollabVlm.Inference.Served;

/// <summary>
/// A vision-language model served over the OpenAI chat-completions API (vLLM, SGLang, llama.cpp
/// server, Ollama). Global pass: the global image and the question. Refined pass: global and local
/// image in one message (the paper's second stage). Token statistics come from per-token
/// <c>top_logprobs</c> (<see cref="TopLogprobStatistics"/>: max probability exact, the rest bounded).
/// No server returns attention, so the relevance map is the box the model names when asked
/// (<see cref="RelevanceSource.Grounding"/>, a second request beside the global pass) or a centre
/// prior. Calls are spread over the endpoints; a failing endpoint is left alone for a while.
/// </summary>
public sealed class ServedVlm : IVisionLanguageModel
{
    private readonly ServedVlmOptions _options;
    private readonly EndpointPool _pool;
    private readonly ILogger _log;
    private readonly ImageLimits _limits;

    public ServedVlm(ServedVlmOptions options, ILogger? logger = null, TimeProvider? time = null, ImageLimits? limits = null)
    {
        if (options.Validate() is { } problem) throw new ArgumentException(problem, nameof(options));
        _options = options;
        _log = logger ?? NullLogger.Instance;
        _limits = limits ?? ImageLimits.Default;
        var key = options.ResolveApiKey();
        _pool = new EndpointPool(
            [.. options.Endpoints.Select(e => new ServedEndpoint(new Uri(e), ServedVlmHttp.CreateClient(options, key), options.MaxInFlightPerEndpoint))],
            time ?? TimeProvider.System);
    }

    public string Name => "openai:" + _options.ModelName;

    public int GlobalLongSide => _options.GlobalLongSide;

    public int MaxConcurrentCalls => _options.Endpoints.Length * _options.MaxInFlightPerEndpoint;

    public EndpointPool Pool => _pool;

    public async Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var global = Image(input.Global);
        var images = new List<ChatImage> { global.Image };
        var prompt = input.IsRefined ? _options.RefinedPrompt : _options.GlobalPrompt;
        if (input.Local is { } local) images.Add(Image(local).Image);
        var body = ChatCompletionRequest.Build(_options.ModelName, prompt.Replace("{question}", input.Question, StringComparison.Ordinal),
            images, _options.MaxNewTokens, _options.TopLogprobs, _options.ImageDetail);

        // The grounding request runs beside the answer, so the global pass costs one round trip, not two.
        var grounding = !input.IsRefined && _options.Relevance == ServedRelevance.Grounding
            ? GroundAsync(input.Question, global.Image, global.Header, cancellationToken)
            : null;
        var answer = await CompleteAsync(body, needLogprobs: true, cancellationToken);
        if (answer.Refusal is not null)
            throw new ServedVlmException($"{Name} refused to answer: {answer.Refusal}", endpointFault: false);

        var tokens = answer.Tokens!.Select(t => TopLogprobStatistics.FromTopLogprobs(t.Logprob, t.TopLogprobs, t.ChosenListed)).ToList();
        var (map, source) = grounding is null
            ? (RelevancePrior.Centre(global.Header.Width, global.Header.Height), RelevanceSource.CentrePrior)
            : await grounding;
        return new ModelOutput(answer.Text.Trim(), tokens, map, _options.VocabularySize, clock.Elapsed, source);
    }

    private (ChatImage Image, ImageHeader Header) Image(byte[] bytes)
    {
        // Reads the header only: a bad image is refused here (InvalidImage to the edge), not by the server.
        var header = SafeImageDecoder.ReadHeader(bytes, _limits);
        var mediaType = header.Format == ImageFormatKind.Png ? "image/png" : "image/jpeg";
        return (new ChatImage(bytes, mediaType), header);
    }

    private async Task<(RelevanceMap, RelevanceSource)> GroundAsync(string question, ChatImage image, ImageHeader header, CancellationToken cancellationToken)
    {
        var prompt = _options.GroundingPrompt
            .Replace("{question}", question, StringComparison.Ordinal)
            .Replace("{width}", header.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{height}", header.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        try
        {
            var body = ChatCompletionRequest.Build(_options.ModelName, prompt, [image], maxTokens: 64, topLogprobs: null, _options.ImageDetail);
            var result = await CompleteAsync(body, needLogprobs: false, cancellationToken);
            if (GroundingAnswer.TryParse(result.Text, header.Width, header.Height, _options.GroundingCoordinates) is { } box)
                return (RelevancePrior.FromBox(box, header.Width, header.Height), RelevanceSource.Grounding);
            _log.LogDebug("grounding answer held no usable box, using the centre prior: {Answer}", result.Text);
        }
        catch (ServedVlmException e)
        {
            // The region is a refinement: without a box the query still gets its answer and a centred crop.
            _log.LogWarning("grounding request failed, using the centre prior: {Message}", e.Message);
        }
        return (RelevancePrior.Centre(header.Width, header.Height), RelevanceSource.CentrePrior);
    }

    private async Task<ChatCompletionResult> CompleteAsync(byte[] body, bool needLogprobs, CancellationToken cancellationToken)
    {
        var callTimeout = TimeSpan.FromSeconds(_options.CallTimeoutSeconds);
        var failures = new List<string>();
        foreach (var endpoint in _pool.Order())
        {
            if (!await endpoint.EnterAsync(callTimeout, cancellationToken))
            {
                failures.Add($"{endpoint.BaseUri}: {endpoint.InFlight} calls in flight for {callTimeout.TotalSeconds:0} s, no slot");
                continue;
            }
            try
            {
                var result = await CallAsync(endpoint, body, needLogprobs, callTimeout, cancellationToken);
                if (endpoint.MarkHealthy()) _log.LogInformation("endpoint {Endpoint} answers again", endpoint.BaseUri);
                return result;
            }
            catch (ServedVlmException e) when (e.EndpointFault && !cancellationToken.IsCancellationRequested)
            {
                var retryAt = _pool.Now.AddSeconds(_options.EndpointRetryAfterSeconds);
                if (endpoint.MarkFailed(retryAt))
                    _log.LogWarning("endpoint {Endpoint} failed, left alone until {RetryAt:O}: {Message}", endpoint.BaseUri, retryAt, e.Message);
                failures.Add(e.Message);
            }
            finally
            {
                endpoint.Leave();
            }
        }
        throw new ServedVlmException($"every endpoint of {Name} failed: {string.Join("; ", failures)}", endpointFault: true);
    }

    private async Task<ChatCompletionResult> CallAsync(ServedEndpoint endpoint, byte[] body, bool needLogprobs, TimeSpan callTimeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(callTimeout);
        var where = endpoint.ChatCompletions;
        HttpStatusCode status;
        byte[] reply;
        try
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await endpoint.Client.PostAsync(where, content, limit.Token);
            status = response.StatusCode;
            reply = await response.Content.ReadAsByteArrayAsync(limit.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = e is HttpRequestException ? e.Message : $"no answer within {(e is TimeoutRejectedException ? _options.AttemptTimeoutSeconds : callTimeout.TotalSeconds):0.#} s";
            throw new ServedVlmException($"{where}: {why}", endpointFault: true, e);
        }

        var code = (int)status;
        if (code is < 200 or > 299)
        {
            var message = ChatCompletionReader.ErrorMessage(reply);
            // 400, 401, 403, 413, 422: our request (or key) is wrong; every endpoint would refuse it alike.
            var requestFault = code is 400 or 401 or 403 or 413 or 422;
            throw new ServedVlmException($"{where} answered HTTP {code}: {message}", endpointFault: !requestFault);
        }
        ChatCompletionResult result;
        try
        {
            result = ChatCompletionReader.Parse(reply);
        }
        catch (FormatException e)
        {
            throw new ServedVlmException($"{where} sent a malformed response: {e.Message}", endpointFault: true, e);
        }
        if (needLogprobs && result.Tokens is null && result.Refusal is null)
            throw new ServedVlmException(
                $"{where} returned no log-probabilities (choices[0].logprobs.content is missing); the uncertainty gate needs them. " +
                "vLLM: keep --max-logprobs ≥ Model:TopLogprobs (default 20); llama.cpp server: a build whose OpenAI endpoint maps top_logprobs to n_probs; " +
                "Ollama: a version with logprobs support, top_logprobs 0–20; SGLang: logprobs on (the request asks for them)", endpointFault: true);
        return result;
    }

    public void Dispose() => _pool.Dispose();
}

using CollabVlm.Inference.Served;
using CollabVlm.Primitives;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace CollabVlm.Inference.Tests.Served;

/// <summary>The served backend against <see cref="OpenAiStandIn"/>, a stand-in for a remote VLM server (none can run here).</summary>
public sealed class ServedVlmTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly byte[] Global = ServedTestImages.Jpeg(320, 240, SKColors.SteelBlue);
    private static readonly byte[] Local = ServedTestImages.Jpeg(200, 200, SKColors.OrangeRed);
    private OpenAiStandIn _server = null!;

    public async Task InitializeAsync() => _server = await OpenAiStandIn.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ServedVlmOptions Options(params string[] endpoints) => new()
    {
        Endpoints = endpoints.Length > 0 ? endpoints : [_server.BaseUrl],
        ModelName = "Qwen/Qwen2.5-VL-7B-Instruct",
        ApiKey = "sk-standin-secret",
        TopLogprobs = 5,
        Relevance = ServedRelevance.CentrePrior,
        RetryDelaySeconds = 0.05,
        MaxRetries = 2,
        AttemptTimeoutSeconds = 10,
        CallTimeoutSeconds = 30,
    };

    private static Task<ModelOutput> Ask(ServedVlm model, bool refined = false) =>
        model.AnswerAsync(refined ? new ModelInput("What does the sign say?", Global, Local, new NormalizedBox(0.2, 0.2, 0.6, 0.6)) : new ModelInput("What does the sign say?", Global), CancellationToken.None)
            .WaitAsync(Limit);

    [Fact]
    public async Task The_global_pass_sends_one_image_the_question_the_key_and_asks_for_top_logprobs()
    {
        using var model = new ServedVlm(Options());
        var output = await Ask(model);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-standin-secret", request.Authorization);
        Assert.Equal("Qwen/Qwen2.5-VL-7B-Instruct", request.Json.GetProperty("model").GetString());
        Assert.Equal(5, request.Json.GetProperty("top_logprobs").GetInt32());
        Assert.True(request.AsksLogprobs);
        Assert.Equal(0, request.Json.GetProperty("temperature").GetDouble());
        var image = Assert.Single(request.ImageUrls);
        Assert.Equal("data:image/jpeg;base64," + Convert.ToBase64String(Global), image);
        Assert.Contains("What does the sign say?", request.Text, StringComparison.Ordinal);

        Assert.Equal("EXIT 24", output.Answer);
        Assert.Equal(RelevanceSource.CentrePrior, output.RelevanceSource);
    }

    [Fact]
    public async Task The_refined_pass_sends_global_then_local_in_one_message_with_the_refined_prompt()
    {
        using var model = new ServedVlm(Options() with { });
        await Ask(model, refined: true);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(["data:image/jpeg;base64," + Convert.ToBase64String(Global), "data:image/jpeg;base64," + Convert.ToBase64String(Local)], request.ImageUrls);
        Assert.Single(request.Json.GetProperty("messages").EnumerateArray());
        Assert.StartsWith("The first image shows the whole scene", request.Text, StringComparison.Ordinal);
        Assert.Contains("What does the sign say?", request.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> Servers => ["vLLM", "llama.cpp", "Ollama", "SGLang"];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Token_statistics_come_from_each_servers_top_logprobs(string server)
    {
        _server.Fallback = _ => StandInReply.Ok(server switch
        {
            "vLLM" => ServedShapes.Vllm("EXIT 24", 0.7, 5),
            "llama.cpp" => ServedShapes.LlamaCpp("EXIT 24", 0.7, 5),
            "Ollama" => ServedShapes.Ollama("EXIT 24", 0.7, 5),
            _ => ServedShapes.Sglang("EXIT 24", 0.7, 5),
        });
        using var model = new ServedVlm(Options());
        var output = await Ask(model);

        Assert.Equal(2, output.Tokens.Count);
        var probs = ServedShapes.TopProbabilities(0.7, 5);
        var tail = 1 - probs.Sum();
        var lower = -probs.Sum(p => p * Math.Log2(p)) + tail * -Math.Log2(probs[^1]);
        foreach (var token in output.Tokens)
        {
            Assert.Equal(0.7, token.MaxProb, 9);
            Assert.Equal(probs[1], token.SecondProb, 9);
            Assert.Equal(lower, token.EntropyBits, 9);
        }
        Assert.Equal(-Math.Log2(0.7), UncertaintyScore.Score(output.Tokens, UncertaintySpec.Default, output.VocabularySize), 9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_response_without_log_probabilities_is_an_error_naming_the_server_flags(bool ollama)
    {
        _server.Fallback = _ => StandInReply.Ok(ollama ? ServedShapes.OllamaWithoutLogprobs("EXIT 24") : ServedShapes.VllmWithoutLogprobs("EXIT 24"));
        using var model = new ServedVlm(Options());
        var error = await Assert.ThrowsAsync<ServedVlmException>(() => Ask(model));
        Assert.Contains("no log-probabilities", error.Message, StringComparison.Ordinal);
        Assert.Contains("--max-logprobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("n_probs", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_429_or_503_with_Retry_After_is_retried_and_then_answered(int status)
    {
        _server.Enqueue(new StandInReply(status, ServerError(status), RetryAfterSeconds: 1));
        using var model = new ServedVlm(Options());
        var output = await Ask(model);
        Assert.Equal("EXIT 24", output.Answer);
        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
    }

    private static string ServerError(int status) => status == 429
        ? ServedShapes.Error(429, "Rate limit reached", "rate_limit_error")
        : ServedShapes.Error(503, "Loading model", "unavailable_error");

    [Fact]
    public async Task A_slow_answer_is_cut_off_by_the_attempt_timeout_and_retried()
    {
        _server.Enqueue(new StandInReply(200, ServedShapes.Vllm("SLOW", 0.9), Delay: TimeSpan.FromSeconds(20)));
        using var model = new ServedVlm(Options() with { AttemptTimeoutSeconds = 0.5 });
        var output = await Ask(model);
        Assert.Equal("EXIT 24", output.Answer);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task A_400_is_not_retried_and_its_message_reaches_the_error()
    {
        _server.Enqueue(new StandInReply(400, ServedShapes.FlatError(400, "At most 1 image(s) may be provided in one request.")));
        using var model = new ServedVlm(Options());
        var error = await Assert.ThrowsAsync<ServedVlmException>(() => Ask(model, refined: true));
        Assert.False(error.EndpointFault);
        Assert.Contains("HTTP 400: At most 1 image(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_malformed_response_is_an_error_naming_it()
    {
        _server.Fallback = _ => new StandInReply(200, "<html>upstream hiccup</html>");
        using var model = new ServedVlm(Options());
        var error = await Assert.ThrowsAsync<ServedVlmException>(() => Ask(model));
        Assert.Contains("malformed response", error.Message, StringComparison.Ordinal);
        Assert.Contains("upstream hiccup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_an_error_quoting_it()
    {
        _server.Enqueue(StandInReply.Ok(ServedShapes.Refusal("I can't help with that.")));
        using var model = new ServedVlm(Options());
        var error = await Assert.ThrowsAsync<ServedVlmException>(() => Ask(model));
        Assert.Contains("refused to answer: I can't help with that.", error.Message, StringComparison.Ordinal);
        Assert.False(error.EndpointFault);
    }

    [Fact]
    public async Task Grounding_asks_for_the_box_beside_the_answer_and_the_map_is_that_box()
    {
        _server.Fallback = r => StandInReply.Ok(r.AsksLogprobs ? ServedShapes.Vllm("EXIT 24", 0.5) : ServedShapes.QwenGrounding(160, 120, 320, 240));
        using var model = new ServedVlm(Options() with { Relevance = ServedRelevance.Grounding });
        var output = await Ask(model);

        Assert.Equal(RelevanceSource.Grounding, output.RelevanceSource);
        var grounding = Assert.Single(_server.Requests, r => !r.AsksLogprobs);
        Assert.Contains("320x240", grounding.Text, StringComparison.Ordinal);
        Assert.Contains("What does the sign say?", grounding.Text, StringComparison.Ordinal);
        var roi = RoiSelector.Select(output.Relevance, 0.3);
        Assert.True(roi.X0 >= 0.45 && roi.Y0 >= 0.45, $"the RoI {roi} should sit in the box the model named (lower right quarter)");
    }

    [Fact]
    public async Task A_grounding_answer_without_a_box_falls_back_to_the_centre_prior()
    {
        _server.Fallback = r => StandInReply.Ok(r.AsksLogprobs ? ServedShapes.Vllm("EXIT 24", 0.5) : ServedShapes.VllmWithoutLogprobs("The sign is on the left."));
        using var model = new ServedVlm(Options() with { Relevance = ServedRelevance.Grounding });
        var output = await Ask(model);
        Assert.Equal(RelevanceSource.CentrePrior, output.RelevanceSource);
        Assert.Equal("EXIT 24", output.Answer);
    }

    [Fact]
    public async Task A_failing_endpoint_is_left_alone_and_tried_again_later()
    {
        await using var healthy = await OpenAiStandIn.StartAsync();
        _server.Fallback = _ => new StandInReply(503, ServerError(503));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var model = new ServedVlm(Options(_server.BaseUrl, healthy.BaseUrl) with { MaxRetries = 0, EndpointRetryAfterSeconds = 30 }, time: time);

        for (var i = 0; i < 4; i++)
            Assert.Equal("EXIT 24", (await Ask(model)).Answer);
        // The first failure sends that call on to the healthy endpoint; afterwards the failed one is not tried.
        Assert.True(_server.RequestCount <= 1, $"the failing endpoint got {_server.RequestCount} requests");
        Assert.Equal(4, healthy.RequestCount);

        time.Advance(TimeSpan.FromSeconds(31));
        _server.Fallback = _ => StandInReply.Ok(ServedShapes.Vllm("RECOVERED", 0.99));
        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++) seen.Add((await Ask(model)).Answer);
        Assert.Contains("RECOVERED", seen);
    }

    [Fact]
    public async Task When_every_endpoint_fails_the_error_names_each()
    {
        await using var other = await OpenAiStandIn.StartAsync();
        _server.Fallback = _ => new StandInReply(503, ServerError(503));
        other.Fallback = _ => new StandInReply(502, "<html>Bad Gateway</html>");
        using var model = new ServedVlm(Options(_server.BaseUrl, other.BaseUrl) with { MaxRetries = 0 });
        var error = await Assert.ThrowsAsync<ServedVlmException>(() => Ask(model));
        Assert.Contains("HTTP 503: Loading model", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 502: <html>Bad Gateway</html>", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-standin-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_in_flight_per_endpoint_stay_within_the_bound()
    {
        _server.Fallback = _ => new StandInReply(200, ServedShapes.Vllm("EXIT 24", 0.9), Delay: TimeSpan.FromMilliseconds(300));
        using var model = new ServedVlm(Options() with { MaxInFlightPerEndpoint = 2 });
        Assert.Equal(2, model.MaxConcurrentCalls);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Ask(model)));
        Assert.Equal(6, _server.RequestCount);
        Assert.InRange(_server.MaxConcurrent, 1, 2);
    }

    [Fact]
    public void The_api_key_file_is_read_when_no_key_is_set_and_never_printed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "sk-from-file\n");
            var options = Options() with { ApiKey = null, ApiKeyFile = file };
            Assert.Equal("sk-from-file", options.ResolveApiKey());
            Assert.DoesNotContain("sk-", options.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

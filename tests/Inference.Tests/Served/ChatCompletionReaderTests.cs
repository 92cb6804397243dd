using System.Text;
using CollabVlm.Inference.Served;

namespace CollabVlm.Inference.Tests.Served;

public sealed class ChatCompletionReaderTests
{
    private static ChatCompletionResult Parse(string json) => ChatCompletionReader.Parse(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string, string> Shapes => new()
    {
        { "vLLM", ServedShapes.Vllm("EXIT 24", 0.8, 5) },
        { "llama.cpp", ServedShapes.LlamaCpp("EXIT 24", 0.8, 5) },
        { "Ollama", ServedShapes.Ollama("EXIT 24", 0.8, 5) },
        { "SGLang", ServedShapes.Sglang("EXIT 24", 0.8, 5) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_servers_shape_gives_the_same_text_and_token_statistics(string server, string json)
    {
        var result = Parse(json);
        Assert.Equal("EXIT 24", result.Text);
        Assert.Equal("stop", result.FinishReason);
        Assert.True(result.Tokens is { Count: 2 }, server);
        var expected = ServedShapes.TopProbabilities(0.8, 5);
        foreach (var token in result.Tokens!)
        {
            Assert.True(token.ChosenListed, server);
            var stat = TopLogprobStatistics.FromTopLogprobs(token.Logprob, token.TopLogprobs, token.ChosenListed);
            Assert.Equal(expected[0], stat.MaxProb, 9);
            Assert.Equal(expected[1], stat.SecondProb, 9);
        }
    }

    [Fact]
    public void Without_log_probabilities_the_tokens_are_null()
    {
        Assert.Null(Parse(ServedShapes.VllmWithoutLogprobs("EXIT 24")).Tokens);
        Assert.Null(Parse(ServedShapes.OllamaWithoutLogprobs("EXIT 24")).Tokens);
    }

    [Fact]
    public void A_refusal_is_read_with_its_tokens()
    {
        var result = Parse(ServedShapes.Refusal("I can't help with that."));
        Assert.Equal("", result.Text);
        Assert.Equal("I can't help with that.", result.Refusal);
        Assert.NotNull(result.Tokens);
    }

    [Theory]
    [InlineData("{\"error\":{\"message\":\"too many images\",\"type\":\"BadRequestError\",\"code\":400}}", "too many images")]
    [InlineData("{\"object\":\"error\",\"message\":\"too many images\",\"type\":\"BadRequestError\",\"code\":400}", "too many images")]
    [InlineData("{\"error\":\"too many images\"}", "too many images")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "<html><body>502 Bad Gateway</body></html>")]
    public void Error_messages_come_out_of_every_shape(string body, string message) =>
        Assert.Equal(message, ChatCompletionReader.ErrorMessage(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("<html>oops</html>", "not JSON")]
    [InlineData("{\"id\":\"x\"}", "no 'choices'")]
    [InlineData("{\"choices\":[]}", "empty")]
    [InlineData("{\"choices\":[{\"message\":{\"content\":\"a\"},\"logprobs\":{\"content\":[{\"token\":\"a\"}]}}]}", "logprob")]
    public void Malformed_responses_are_format_errors_naming_what_is_missing(string body, string named)
    {
        var error = Assert.Throws<FormatException>(() => Parse(body));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

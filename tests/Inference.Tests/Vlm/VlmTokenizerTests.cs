using CollabVlm.Inference.Vlm;

namespace CollabVlm.Inference.Tests.Vlm;

public sealed class VlmTokenizerTests : IDisposable
{
    private readonly string _directory = TinyVlm.Create(TinyVlmFixture.NewTempFolder());

    [Fact]
    public void Added_tokens_map_to_single_ids_and_text_round_trips_through_byte_level_BPE()
    {
        var tokenizer = VlmTokenizer.Load(_directory);
        var ids = tokenizer.Encode("<|im_start|>User:<image><image> the cat 42<end_of_utterance>");
        Assert.Equal(TinyVlm.TokenId("<|im_start|>"), ids[0]);
        Assert.Equal(2, ids.Count(i => i == TinyVlm.TokenId("<image>")));
        Assert.Equal(TinyVlm.TokenId("<end_of_utterance>"), ids[^1]);
        // "Ġthe" is a merge in the tiny vocabulary: " the" must come out as one token.
        Assert.Contains(ids, i => i == 256 + 2);
        Assert.Equal("User: the cat 42", tokenizer.Decode(ids));
    }

    [Fact]
    public void User_text_holding_a_control_token_is_found()
    {
        var tokenizer = VlmTokenizer.Load(_directory);
        Assert.Equal("<image>", tokenizer.FindAddedToken("what is <image> here"));
        Assert.Null(tokenizer.FindAddedToken("what is here"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

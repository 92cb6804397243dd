using CollabVlm.Inference.Vlm;
using CollabVlm.Primitives;

namespace CollabVlm.Inference.Tests.Vlm;

public sealed class OnnxVlmTests(TinyVlmFixture tiny) : IClassFixture<TinyVlmFixture>
{
    private const string Question = "what is in the picture?";

    [Fact]
    public void The_prompt_holds_image_seq_len_image_tokens_carrying_the_vision_features()
    {
        using var picture = TinyVlmFixture.Picture(40, 30);
        var prompt = tiny.Model.Prepare(Question, [picture]);
        var positions = prompt.Ids.Select((id, i) => (id, i)).Where(p => p.id == TinyVlm.TokenId("<image>")).Select(p => p.i).ToList();
        Assert.Equal(TinyVlm.ImageSeqLen, positions.Count);
        Assert.Equal(positions[0], prompt.GlobalBlockStarts[0]);
        // The rows at image positions are the features, not the <image> embedding.
        var h = TinyVlm.Hidden;
        for (var r = 0; r < positions.Count; r++)
            Assert.Equal(prompt.ImageFeatures.AsSpan(r * h, h).ToArray(), prompt.Embeds.AsSpan(positions[r] * h, h).ToArray());
        var imageEmbedding = tiny.Model.Prepare(Question, [picture]).Embeds; // deterministic
        Assert.Equal(prompt.Embeds, imageEmbedding);
    }

    [Fact]
    public void Decoding_with_the_KV_cache_gives_the_same_tokens_and_logits_as_without()
    {
        using var picture = TinyVlmFixture.Picture(40, 30);
        var (cached, _) = tiny.Model.Generate(Question, [picture], useCache: true, keepLogits: true);
        var (full, _) = tiny.Model.Generate(Question, [picture], useCache: false, keepLogits: true);
        Assert.NotEmpty(cached.TokenIds);
        Assert.Equal(full.TokenIds, cached.TokenIds);
        Assert.Equal(full.StepLogits.Count, cached.StepLogits.Count);
        for (var s = 0; s < full.StepLogits.Count; s++)
            for (var v = 0; v < TinyVlm.VocabularySize; v++)
                Assert.True(Math.Abs(full.StepLogits[s][v] - cached.StepLogits[s][v]) < 1e-4,
                    $"step {s} token {v}: {full.StepLogits[s][v]} vs {cached.StepLogits[s][v]}");
    }

    [Fact]
    public void Every_generated_token_has_statistics_from_its_steps_logits()
    {
        using var picture = TinyVlmFixture.Picture(40, 30);
        var (result, _) = tiny.Model.Generate(Question, [picture], useCache: true, keepLogits: true);
        Assert.Equal(result.TokenIds.Count, result.Tokens.Count);
        Assert.True(result.TokenIds.Count <= 6);
        for (var i = 0; i < result.Tokens.Count; i++)
        {
            var expected = TokenStatistics.FromLogits(result.StepLogits[i]);
            Assert.Equal(expected, result.Tokens[i]);
            Assert.InRange(result.Tokens[i].MaxProb, result.Tokens[i].SecondProb, 1.0);
            Assert.InRange(result.Tokens[i].EntropyBits, 0, Math.Log2(TinyVlm.VocabularySize));
            // Greedy: the generated token is the top-1 of its step.
            Assert.Equal(result.StepLogits[i].Max(), result.StepLogits[i][result.TokenIds[i]]);
        }
    }

    [Fact]
    public async Task The_global_pass_answers_with_a_rel_att_map_over_the_image_that_sums_to_one()
    {
        using var picture = TinyVlmFixture.Picture(80, 60);
        var output = await tiny.Model.AnswerAsync(new ModelInput(Question, TinyVlmFixture.Png(picture)), CancellationToken.None);
        Assert.Equal(RelevanceSource.Attention, output.RelevanceSource);
        Assert.Equal(TinyVlm.VocabularySize, output.VocabularySize);
        Assert.NotEmpty(output.Tokens);
        Assert.False(string.IsNullOrWhiteSpace(output.Answer));
        // 4×4 token grid laid over a 4:3 image: 4 cells across, 3 down.
        Assert.Equal((4, 3), (output.Relevance.Width, output.Relevance.Height));
        Assert.All(output.Relevance.Values, v => Assert.True(v >= 0));
        Assert.Equal(1.0, output.Relevance.Values.Sum(v => (double)v), 5);
        Assert.True(output.Relevance.Values.Max() > output.Relevance.Values.Min(), "rel-att of a non-uniform picture should not be flat");
        RoiSelector.Select(output.Relevance, 0.5);
    }

    [Fact]
    public async Task The_refined_pass_puts_global_and_local_images_in_one_prompt()
    {
        using var global = TinyVlmFixture.Picture(80, 60);
        using var local = TinyVlmFixture.Picture(48, 48, 0.1, 0.1);
        var prompt = tiny.Model.Prepare(Question, [global, local]);
        Assert.Equal(2 * TinyVlm.ImageSeqLen, prompt.Ids.Count(i => i == TinyVlm.TokenId("<image>")));
        Assert.Equal(2, prompt.GlobalBlockStarts.Count);
        Assert.Equal(2, prompt.Ids.Count(i => i == TinyVlm.TokenId("<global-img>")));

        var input = new ModelInput(Question, TinyVlmFixture.Png(global), TinyVlmFixture.Png(local), new CollabVlm.Primitives.NormalizedBox(0, 0, 0.5, 0.5));
        var refined = await tiny.Model.AnswerAsync(input, CancellationToken.None);
        var alone = await tiny.Model.AnswerAsync(input with { Local = null, LocalBox = null }, CancellationToken.None);
        Assert.NotEmpty(refined.Tokens);
        // The local image changes what the model sees, so the first step's distribution moves.
        Assert.NotEqual(alone.Tokens[0], refined.Tokens[0]);
        Assert.Equal((4, 3), (refined.Relevance.Width, refined.Relevance.Height));
    }

    [Fact]
    public async Task A_question_smuggling_a_control_token_is_refused()
    {
        using var picture = TinyVlmFixture.Picture(40, 30);
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            tiny.Model.AnswerAsync(new ModelInput("what <image> is it", TinyVlmFixture.Png(picture)), CancellationToken.None));
        Assert.Contains("<image>", e.Message);
    }
}

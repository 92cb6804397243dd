using CollabVlm.Inference.Vlm;
using Onnx;

namespace CollabVlm.Inference.Tests.Vlm;

public sealed class AttentionOutputSurgeryTests : IDisposable
{
    private readonly string _plain = TinyVlmFixture.NewTempFolder();
    private readonly string _native = TinyVlmFixture.NewTempFolder();

    [Fact]
    public async Task Exposed_softmax_outputs_give_the_same_rel_att_as_an_export_built_with_attention_outputs()
    {
        TinyVlm.Create(_plain, withAttentions: false);
        TinyVlm.Create(_native, withAttentions: true);
        var decoder = Path.Combine(_plain, "onnx", "decoder_model_merged.onnx");
        var added = AttentionOutputSurgery.AddAttentionOutputs(decoder, decoder);
        Assert.Equal(["attentions.0", "attentions.1"], added);

        using var operated = new OnnxVlm(TinyVlmFixture.Options(_plain));
        using var native = new OnnxVlm(TinyVlmFixture.Options(_native));
        Assert.True(operated.Contract.HasAttentions);
        using var picture = TinyVlmFixture.Picture(60, 45);
        var input = new ModelInput("where is the square?", TinyVlmFixture.Png(picture));
        var a = await operated.AnswerAsync(input, CancellationToken.None);
        var b = await native.AnswerAsync(input, CancellationToken.None);
        Assert.Equal(RelevanceSource.Attention, a.RelevanceSource);
        Assert.Equal(b.Answer, a.Answer);
        Assert.Equal(b.Relevance.Values, a.Relevance.Values);
    }

    [Fact]
    public void A_decoder_with_a_fused_attention_op_is_refused_naming_the_op()
    {
        var graph = new GraphProto();
        graph.Input.Add(new ValueInfoProto { Name = "past_key_values.0.key" });
        graph.Node.Add(new NodeProto { OpType = "GroupQueryAttention", Domain = "com.microsoft", Name = "layer0_attn" });
        var e = Assert.Throws<NotSupportedException>(() => AttentionOutputSurgery.AddAttentionOutputs(graph));
        Assert.Contains("com.microsoft.GroupQueryAttention", e.Message);
        Assert.Contains("never exist as a tensor", e.Message);
    }

    [Fact]
    public void A_softmax_count_that_does_not_match_the_layers_is_refused()
    {
        var graph = new GraphProto();
        graph.Input.Add(new ValueInfoProto { Name = "past_key_values.0.key" });
        graph.Input.Add(new ValueInfoProto { Name = "past_key_values.1.key" });
        graph.Node.Add(new NodeProto { OpType = "Softmax", Input = { "s" }, Output = { "p" } });
        graph.Node.Add(new NodeProto { OpType = "MatMul", Input = { "p", "v" }, Output = { "c" } });
        var e = Assert.Throws<NotSupportedException>(() => AttentionOutputSurgery.AddAttentionOutputs(graph));
        Assert.Contains("found 1 attention Softmax nodes", e.Message);
        Assert.Contains("for 2 layers", e.Message);
    }

    public void Dispose()
    {
        Directory.Delete(_plain, recursive: true);
        Directory.Delete(_native, recursive: true);
    }
}

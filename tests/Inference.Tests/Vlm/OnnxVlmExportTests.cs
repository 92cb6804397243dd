using System.Text.Json;
using CollabVlm.Inference.Vlm;
using Onnx;

namespace CollabVlm.Inference.Tests.Vlm;

/// <summary>Export variants: without attention outputs, with image splitting, with a stop token, and broken exports.</summary>
public sealed class OnnxVlmExportTests : IDisposable
{
    private readonly string _directory = TinyVlmFixture.NewTempFolder();

    [Fact]
    public async Task An_export_without_attention_outputs_falls_back_to_the_feature_similarity_proxy_and_says_so()
    {
        TinyVlm.Create(_directory, withAttentions: false);
        using var model = new OnnxVlm(TinyVlmFixture.Options(_directory));
        Assert.False(model.Contract.HasAttentions);
        using var picture = TinyVlmFixture.Picture(60, 60);
        var output = await model.AnswerAsync(new ModelInput("what is it?", TinyVlmFixture.Png(picture)), CancellationToken.None);
        Assert.Equal(RelevanceSource.FeatureSimilarityProxy, output.RelevanceSource);
        Assert.Equal((4, 4), (output.Relevance.Width, output.Relevance.Height));
        Assert.Equal(1.0, output.Relevance.Values.Sum(v => (double)v), 5);
    }

    [Fact]
    public void With_image_splitting_a_wide_image_becomes_tiles_plus_the_global_tile()
    {
        TinyVlm.Create(_directory, imageSplitting: true);
        using var model = new OnnxVlm(TinyVlmFixture.Options(_directory));
        // 80×40 → long side 64 → 64×32 → 2 tiles across, 1 down, plus the global tile.
        using var picture = TinyVlmFixture.Picture(80, 40);
        var prompt = model.Prepare("what is it?", [picture]);
        Assert.Equal(3 * TinyVlm.ImageSeqLen, prompt.Ids.Count(i => i == TinyVlm.TokenId("<image>")));
        Assert.Contains(prompt.Ids, i => i == TinyVlm.TokenId("<row_1_col_2>"));
        Assert.DoesNotContain(prompt.Ids, i => i == TinyVlm.TokenId("<row_2_col_1>"));
        var (result, _) = model.Generate("what is it?", [picture], useCache: true, keepLogits: false);
        Assert.NotEmpty(result.TokenIds);
    }

    [Fact]
    public void Generation_stops_at_a_stop_token_which_is_not_part_of_the_answer()
    {
        TinyVlm.Create(_directory);
        using var picture = TinyVlmFixture.Picture(40, 30);
        long second;
        using (var free = new OnnxVlm(TinyVlmFixture.Options(_directory)))
        {
            var (result, _) = free.Generate("what is it?", [picture], useCache: true, keepLogits: false);
            Assert.False(result.Stopped);
            Assert.Equal(6, result.TokenIds.Count);
            second = result.TokenIds[1];
            Assert.NotEqual(result.TokenIds[0], second);
        }
        File.WriteAllText(Path.Combine(_directory, "generation_config.json"), JsonSerializer.Serialize(new { eos_token_id = new[] { second } }));
        using var stopping = new OnnxVlm(TinyVlmFixture.Options(_directory));
        var (stopped, _) = stopping.Generate("what is it?", [picture], useCache: true, keepLogits: false);
        Assert.True(stopped.Stopped);
        Assert.Single(stopped.TokenIds);
        Assert.Single(stopped.Tokens);
    }

    [Fact]
    public void A_decoder_with_a_use_cache_branch_input_is_fed_it_and_decodes_alike_with_and_without_cache()
    {
        TinyVlm.Create(_directory, withUseCacheBranch: true);
        using var model = new OnnxVlm(TinyVlmFixture.Options(_directory));
        Assert.True(model.Contract.HasUseCacheBranch);
        using var picture = TinyVlmFixture.Picture(40, 30);
        var (cached, _) = model.Generate("what is it?", [picture], useCache: true, keepLogits: false);
        var (full, _) = model.Generate("what is it?", [picture], useCache: false, keepLogits: false);
        Assert.NotEmpty(cached.TokenIds);
        Assert.Equal(full.TokenIds, cached.TokenIds);
    }

    [Fact]
    public void A_folder_without_the_decoder_is_refused_naming_the_file()
    {
        TinyVlm.Create(_directory);
        File.Delete(Path.Combine(_directory, "onnx", "decoder_model_merged.onnx"));
        var e = Assert.Throws<FileNotFoundException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory)));
        Assert.Contains("onnx/decoder_model_merged.onnx", e.Message);
    }

    [Fact]
    public void A_missing_variant_is_refused_naming_the_variants_present()
    {
        TinyVlm.Create(_directory);
        var e = Assert.Throws<FileNotFoundException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory) with { Variant = "q4" }));
        Assert.Contains("decoder_model_merged_q4.onnx", e.Message);
        Assert.Contains("variants present: (none)", e.Message);
    }

    [Fact]
    public void A_decoder_with_a_renamed_input_is_refused_naming_the_expected_input()
    {
        TinyVlm.Create(_directory);
        Rewrite("decoder_model_merged.onnx", g =>
        {
            g.Input.Single(i => i.Name == "position_ids").Name = "positions";
            foreach (var node in g.Node)
                for (var i = 0; i < node.Input.Count; i++)
                    if (node.Input[i] == "position_ids") node.Input[i] = "positions";
        });
        var e = Assert.Throws<InvalidDataException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory)));
        Assert.Contains("no input named position_ids", e.Message);
        Assert.Contains("positions", e.Message);
    }

    [Fact]
    public void A_vision_encoder_taking_rank_4_pixels_is_refused_naming_the_rank()
    {
        TinyVlm.Create(_directory);
        Rewrite("vision_encoder.onnx", g => g.Input.Single(i => i.Name == "pixel_values").Type.TensorType.Shape.Dim.RemoveAt(1));
        var e = Assert.Throws<InvalidDataException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory)));
        Assert.Contains("pixel_values has rank 4", e.Message);
        Assert.Contains("expected rank 5", e.Message);
    }

    [Fact]
    public void A_config_whose_layer_count_disagrees_with_the_cache_inputs_is_refused()
    {
        TinyVlm.Create(_directory);
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        var e = Assert.Throws<InvalidDataException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory)));
        Assert.Contains("2 past_key_values.N.key inputs", e.Message);
        Assert.Contains("num_hidden_layers is 3", e.Message);
    }

    [Fact]
    public void A_config_whose_key_value_heads_disagree_with_the_cache_shape_is_refused()
    {
        TinyVlm.Create(_directory);
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4"));
        var e = Assert.Throws<InvalidDataException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory)));
        Assert.Contains("past_key_values.0.key", e.Message);
        Assert.Contains("4 key/value heads", e.Message);
    }

    [Fact]
    public void An_attention_layer_outside_the_decoder_is_refused()
    {
        TinyVlm.Create(_directory);
        var e = Assert.Throws<ArgumentException>(() => new OnnxVlm(TinyVlmFixture.Options(_directory) with { AttentionLayer = 2 }));
        Assert.Contains("AttentionLayer 2 is outside the decoder's 2 layers", e.Message);
    }

    private void Rewrite(string file, Action<GraphProto> change)
    {
        var path = Path.Combine(_directory, "onnx", file);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        change(model.Graph);
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

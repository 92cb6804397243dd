using CollabVlm.Inference.Vlm;

namespace CollabVlm.Inference.Tests.Vlm;

/// <summary>The config files of SmolVLM-256M-Instruct (the fields the backend reads, as the model's folder has them).</summary>
public sealed class VlmConfigTests : IDisposable
{
    private readonly string _directory = TinyVlmFixture.NewTempFolder();

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(_directory, name), json);

    private void WriteSmolVlm256M()
    {
        Write("config.json", """
            { "architectures": ["Idefics3ForConditionalGeneration"], "image_token_id": 49190, "model_type": "idefics3", "scale_factor": 4,
              "text_config": { "hidden_size": 576, "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3,
                               "vocab_size": 49280, "model_type": "llama", "rms_norm_eps": 1e-05 },
              "vision_config": { "hidden_size": 768, "image_size": 512, "patch_size": 16, "model_type": "idefics3" },
              "vocab_size": 49280 }
            """);
        Write("preprocessor_config.json", """
            { "do_convert_rgb": true, "do_image_splitting": true, "do_normalize": true, "do_pad": true, "do_rescale": true, "do_resize": true,
              "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "Idefics3ImageProcessor", "image_std": [0.5, 0.5, 0.5],
              "max_image_size": { "longest_edge": 512 }, "processor_class": "Idefics3Processor", "resample": 1,
              "rescale_factor": 0.00392156862745098, "size": { "longest_edge": 2048 } }
            """);
        Write("processor_config.json", """{ "image_seq_len": 64, "processor_class": "Idefics3Processor" }""");
        Write("generation_config.json", """{ "bos_token_id": 1, "eos_token_id": 49279, "pad_token_id": 2 }""");
    }

    [Fact]
    public void SmolVLM_256M_configuration_is_read_field_by_field()
    {
        WriteSmolVlm256M();
        var c = VlmConfig.Load(_directory);
        Assert.Equal((49190, 30, 9, 3, 64, 49280), (c.ImageTokenId, c.Layers, c.AttentionHeads, c.KeyValueHeads, c.HeadDim, c.VocabularySize));
        Assert.Equal((64, 512, 2048, true), (c.ImageSeqLen, c.TileSide, c.ResizeLongestEdge, c.DoImageSplitting));
        Assert.Equal([49279], c.EosTokenIds);
        Assert.Equal([0.5, 0.5, 0.5], c.ImageStd);
    }

    [Fact]
    public void Without_processor_config_image_seq_len_comes_from_patches_and_scale_factor()
    {
        WriteSmolVlm256M();
        File.Delete(Path.Combine(_directory, "processor_config.json"));
        Assert.Equal(64, VlmConfig.Load(_directory).ImageSeqLen); // (512 / 16)² / 4²
    }

    [Fact]
    public void A_missing_image_token_id_is_named()
    {
        WriteSmolVlm256M();
        Write("config.json", """{ "text_config": { "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1 }, "vocab_size": 10 }""");
        var e = Assert.Throws<InvalidDataException>(() => VlmConfig.Load(_directory));
        Assert.Contains("image_token_id", e.Message);
    }

    [Fact]
    public void A_4_by_3_image_splits_into_4_by_3_tiles_plus_the_global_tile()
    {
        WriteSmolVlm256M();
        var config = VlmConfig.Load(_directory) with { TileSide = 16, ResizeLongestEdge = 64 };
        using var picture = TinyVlmFixture.Picture(256, 192);
        var prepared = Idefics3ImageProcessor.Prepare(picture, config);
        Assert.Equal((3, 4, 13), (prepared.Rows, prepared.Cols, prepared.Count));
        Assert.Equal(13 * 3 * 16 * 16, prepared.Pixels.Length);
        Assert.All(prepared.Pixels, v => Assert.InRange(v, -1f, 1f));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

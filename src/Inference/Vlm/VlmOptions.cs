using CollabVlm.Inference.Onnx;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// Settings of the ONNX VLM backend. A server binds them from section "Model" when
/// <c>Model:Backend</c> is <c>onnx-vlm</c> (<c>COLLABVLM_Model__MaxNewTokens</c> etc.).
/// </summary>
public sealed record VlmOptions
{
    /// <summary>The model folder (transformers.js / onnx-community layout).</summary>
    public string ModelDirectory { get; init; } = "";

    /// <summary>File suffix of the graphs to load ("q4" → decoder_model_merged_q4.onnx); empty = the fp32 files.</summary>
    public string Variant { get; init; } = "";

    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's idle intra-op threads spin (ONNX Runtime's own default). Off here: spinning threads burn
    /// the cores that other processes, pods or the node's own actors need: two servers sharing two cores carried
    /// 1.6 × more with it off (README, *Throughput*).
    /// </summary>
    public bool IntraOpSpinning { get; init; }

    public int MaxNewTokens { get; init; } = 32;

    /// <summary>Decode with the KV cache (one token per step) or re-run the whole sequence every step.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>Decoder layer whose attention gives the relevance map; null = the middle layer (ViCrop's choice).</summary>
    public int? AttentionLayer { get; init; }

    /// <summary>ViCrop's reference prompt for rel-att.</summary>
    public string GenericPrompt { get; init; } = "Write a general description of the image.";

    /// <summary>Long side of the global image the model expects; null = one tile (max_image_size), the thumbnail the model sees anyway.</summary>
    public int? GlobalLongSide { get; init; }

    /// <summary>
    /// Overrides preprocessor_config.json do_image_splitting. SmolVLM ships it on (up to 4×4 tiles of a
    /// 2048 px resize); on a small global image that only upsamples, and the local image already
    /// brings the detail, so a deployment may switch it off to cut the prompt from 17 blocks to 1.
    /// </summary>
    public bool? ImageSplitting { get; init; }

    /// <summary>Refuse questions longer than this many tokens (the prompt must fit the model's context).</summary>
    public int MaxQuestionTokens { get; init; } = 256;

    /// <summary>Null when usable; otherwise a sentence naming the bad setting.</summary>
    public string? Validate() =>
        string.IsNullOrWhiteSpace(ModelDirectory) ? "Model:ModelDirectory (--model-dir) must name the VLM export folder when Model:Backend is onnx-vlm"
        : MaxNewTokens < 1 ? "Model:MaxNewTokens must be ≥ 1"
        : MaxQuestionTokens < 1 ? "Model:MaxQuestionTokens must be ≥ 1"
        : null;
}

using CollabVlm.Inference.Onnx;

namespace CollabVlm.Inference.Vlm;

/// <summary>Settings of the ONNX VLM backend.</summary>
public sealed record VlmOptions
{
    /// <summary>The model folder (transformers.js / onnx-community layout).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>File suffix of the graphs to load ("q4" → decoder_model_merged_q4.onnx); empty = the fp32 files.</summary>
    public string Variant { get; init; } = "";

    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    public int IntraOpThreads { get; init; }

    public int MaxNewTokens { get; init; } = 32;

    /// <summary>Decode with the KV cache (one token per step) or re-run the whole sequence every step.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>Decoder layer whose attention gives the relevance map; null = the middle layer (ViCrop's choice).</summary>
    public int? AttentionLayer { get; init; }

    /// <summary>ViCrop's reference prompt for rel-att.</summary>
    public string GenericPrompt { get; init; } = "Write a general description of the image.";

    /// <summary>Long side of the global image the edge should send; null = the model's tile side (or its resize edge when it splits images).</summary>
    public int? GlobalLongSide { get; init; }

    /// <summary>Refuse questions longer than this many tokens (the prompt must fit the model's context).</summary>
    public int MaxQuestionTokens { get; init; } = 256;
}

using CollabVlm.Inference.Onnx;
using CollabVlm.Inference.Vlm;

namespace CollabVlm.ServerNode;

/// <summary>Section "Model" when <c>Model:Backend</c> is <c>onnx-vlm</c>; the keys mean what <see cref="VlmOptions"/>'s do.</summary>
public sealed class VlmModelSettings
{
    public string? ModelDirectory { get; set; }
    public string Variant { get; set; } = "";
    public ExecutionProviderChoice ExecutionProvider { get; set; } = ExecutionProviderChoice.Auto;
    public int IntraOpThreads { get; set; }
    public int MaxNewTokens { get; set; } = 32;
    public bool UseKvCache { get; set; } = true;
    public int? AttentionLayer { get; set; }
    public int? GlobalLongSide { get; set; }
    public bool? ImageSplitting { get; set; }

    public string? Validate() =>
        string.IsNullOrWhiteSpace(ModelDirectory) ? "Model:ModelDirectory (--model-dir) must name the VLM export folder when Model:Backend is onnx-vlm"
        : MaxNewTokens < 1 ? "Model:MaxNewTokens must be ≥ 1"
        : null;

    public VlmOptions ToOptions() => new()
    {
        ModelDirectory = ModelDirectory!, Variant = Variant, ExecutionProvider = ExecutionProvider, IntraOpThreads = IntraOpThreads,
        MaxNewTokens = MaxNewTokens, UseKvCache = UseKvCache, AttentionLayer = AttentionLayer, GlobalLongSide = GlobalLongSide,
        ImageSplitting = ImageSplitting,
    };
}

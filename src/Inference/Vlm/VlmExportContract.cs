using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// The assumptions the backend makes about an export, checked against the loaded graphs so that a
/// model which breaks one fails at start with the assumption named (never mid-query):
/// <list type="bullet">
/// <item>vision_encoder: input <c>pixel_values</c> float [batch, images, 3, H, W]; optional input
/// <c>pixel_attention_mask</c> bool [batch, images, H, W]; output <c>image_features</c> float
/// [images, image_seq_len, hidden] or [images·image_seq_len, hidden].</item>
/// <item>embed_tokens: input <c>input_ids</c> int64 [batch, seq]; output <c>inputs_embeds</c> float [batch, seq, hidden].</item>
/// <item>decoder_model_merged: inputs <c>inputs_embeds</c> float [batch, seq, hidden], <c>attention_mask</c> int64
/// [batch, total], <c>position_ids</c> int64 [batch, seq] (1-D rotary positions; Qwen2-VL's 3-D ones are
/// refused), <c>past_key_values.N.key/value</c> float [batch, kv_heads, past, head_dim] for every layer N,
/// optional <c>use_cache_branch</c> bool; outputs <c>logits</c> float [batch, seq, vocab],
/// <c>present.N.key/value</c>, optional <c>attentions.N</c> float [batch, heads, seq, total].</item>
/// </list>
/// Float16 inputs (some _fp16 exports) are refused: the cache is kept in float32.
/// </summary>
public sealed record VlmExportContract(
    bool HasPixelAttentionMask,
    bool HasUseCacheBranch,
    int Layers,
    int KeyValueHeads,
    int HeadDim,
    IReadOnlyList<string> AttentionOutputs)
{
    public const string AttentionOutputPrefix = "attentions.";

    public bool HasAttentions => AttentionOutputs.Count > 0;

    public static string PastKey(int layer) => $"past_key_values.{layer}.key";
    public static string PastValue(int layer) => $"past_key_values.{layer}.value";
    public static string PresentKey(int layer) => $"present.{layer}.key";
    public static string PresentValue(int layer) => $"present.{layer}.value";

    public static VlmExportContract Check(InferenceSession vision, InferenceSession embed, InferenceSession decoder, VlmConfig config)
    {
        Require(vision, "vision_encoder", "pixel_values", input: true, TensorElementType.Float, 5);
        var hasMask = vision.InputMetadata.ContainsKey("pixel_attention_mask");
        if (hasMask) Require(vision, "vision_encoder", "pixel_attention_mask", input: true, TensorElementType.Bool, 4);
        Require(vision, "vision_encoder", "image_features", input: false, TensorElementType.Float, 2, 3);

        Require(embed, "embed_tokens", "input_ids", input: true, TensorElementType.Int64, 2);
        Require(embed, "embed_tokens", "inputs_embeds", input: false, TensorElementType.Float, 3);

        Require(decoder, "decoder_model_merged", "inputs_embeds", input: true, TensorElementType.Float, 3);
        Require(decoder, "decoder_model_merged", "attention_mask", input: true, TensorElementType.Int64, 2);
        Require(decoder, "decoder_model_merged", "position_ids", input: true, TensorElementType.Int64, 2);
        Require(decoder, "decoder_model_merged", "logits", input: false, TensorElementType.Float, 3);

        var layers = decoder.InputMetadata.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal) && k.EndsWith(".key", StringComparison.Ordinal));
        if (layers != config.Layers)
            throw new InvalidDataException(
                $"decoder_model_merged has {layers} past_key_values.N.key inputs but config.json text_config.num_hidden_layers is {config.Layers}: " +
                "the export is not a merged decoder with a KV cache, or the config belongs to another model");
        for (var i = 0; i < layers; i++)
        {
            foreach (var name in new[] { PastKey(i), PastValue(i) })
            {
                Require(decoder, "decoder_model_merged", name, input: true, TensorElementType.Float, 4);
                var dims = decoder.InputMetadata[name].Dimensions;
                if (dims[1] > 0 && dims[1] != config.KeyValueHeads || dims[3] > 0 && dims[3] != config.HeadDim)
                    throw new InvalidDataException(
                        $"decoder_model_merged input {name} has shape [{string.Join(", ", dims)}] but config.json says {config.KeyValueHeads} key/value heads of {config.HeadDim}");
            }
            Require(decoder, "decoder_model_merged", PresentKey(i), input: false, TensorElementType.Float, 4);
            Require(decoder, "decoder_model_merged", PresentValue(i), input: false, TensorElementType.Float, 4);
        }
        var attentions = new List<string>();
        for (var i = 0; i < layers; i++)
        {
            var name = AttentionOutputPrefix + i;
            if (!decoder.OutputMetadata.ContainsKey(name)) continue;
            Require(decoder, "decoder_model_merged", name, input: false, TensorElementType.Float, 4);
            attentions.Add(name);
        }
        if (attentions.Count != 0 && attentions.Count != layers)
            throw new InvalidDataException($"decoder_model_merged has attention outputs for {attentions.Count} of {layers} layers; expected attentions.N for all or none");

        return new VlmExportContract(hasMask, decoder.InputMetadata.ContainsKey("use_cache_branch"), layers, config.KeyValueHeads, config.HeadDim, attentions);
    }

    private static void Require(InferenceSession session, string graph, string name, bool input, TensorElementType type, params int[] ranks)
    {
        var table = input ? session.InputMetadata : session.OutputMetadata;
        var kind = input ? "input" : "output";
        if (!table.TryGetValue(name, out var meta))
            throw new InvalidDataException(
                $"{graph}.onnx has no {kind} named {name} (its {kind}s: {string.Join(", ", table.Keys.Take(12))}{(table.Count > 12 ? ", …" : "")}); " +
                "the backend expects the transformers.js / onnx-community export names");
        if (!meta.IsTensor || meta.ElementDataType != type)
            throw new InvalidDataException($"{graph}.onnx {kind} {name} is {meta.ElementDataType}, expected {type}" +
                (meta.ElementDataType == TensorElementType.Float16 ? " (float16 exports are not supported: use the fp32 or a quantized variant with float32 inputs)" : ""));
        if (!ranks.Contains(meta.Dimensions.Length))
            throw new InvalidDataException(
                $"{graph}.onnx {kind} {name} has rank {meta.Dimensions.Length} ([{string.Join(", ", meta.Dimensions)}]), expected rank {string.Join(" or ", ranks)}");
    }
}

using System.Text;
using System.Text.Json;
using static CollabVlm.VlmSynthesis.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CollabVlm.VlmSynthesis;

/// <summary>
/// Writes a SmolVLM/Idefics3-shaped model folder of any <see cref="SyntheticVlmShape"/> in the
/// transformers.js / onnx-community layout: <c>onnx/vision_encoder.onnx</c>, <c>onnx/embed_tokens.onnx</c>,
/// <c>onnx/decoder_model_merged.onnx</c> with the real export's input and output names and ranks
/// (<c>past_key_values.N.key/value</c> → <c>present.N.key/value</c>), optional
/// <c>attentions.N</c> outputs taken from plain Softmax nodes, seeded random weights, and the
/// config, preprocessor, generation, tokenizer (byte-level BPE) and chat-template files.
/// The tokenizer files hold only byte tokens, a few merges and the special tokens whatever the
/// vocabulary size: the extra rows of the embedding and the logits cost what the real ones cost.
/// </summary>
public sealed class SyntheticVlm
{
    /// <summary>Special tokens after the 256 byte tokens and the merges, in id order.</summary>
    public static readonly string[] SpecialTokens =
    [
        "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<end_of_utterance>", "<fake_token_around_image>", "<image>", "<global-img>",
        .. from r in Enumerable.Range(1, 4) from c in Enumerable.Range(1, 4) select $"<row_{r}_col_{c}>",
    ];

    private static readonly (string Left, string Right)[] Merges =
        [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("e", "r"), ("Ġ", "a")];

    /// <summary>The SmolVLM chat template (Jinja), as the real model's chat_template.json holds it.</summary>
    public const string ChatTemplate =
        "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

    private readonly SyntheticVlmShape _shape;
    private readonly Random _random;

    private SyntheticVlm(SyntheticVlmShape shape, int seed)
    {
        shape.Validate();
        var tokens = TokenId(SpecialTokens[^1]) + 1;
        if (shape.VocabularySize < tokens)
            throw new ArgumentException($"shape '{shape.Name}': vocabulary {shape.VocabularySize} is smaller than the {tokens} byte, merge and special tokens");
        _shape = shape;
        _random = new Random(seed);
    }

    public static int TokenId(string special) => 256 + Merges.Length + Array.IndexOf(SpecialTokens, special);

    /// <summary>Writes the folder and returns it.</summary>
    public static string Create(string directory, SyntheticVlmShape shape, bool withAttentions = true, bool imageSplitting = false, int seed = 7, bool withUseCacheBranch = false)
    {
        var model = new SyntheticVlm(shape, seed);
        var onnxDir = Path.Combine(directory, "onnx");
        Directory.CreateDirectory(onnxDir);
        model.WriteVisionEncoder(Path.Combine(onnxDir, "vision_encoder.onnx"));
        model.WriteEmbedTokens(Path.Combine(onnxDir, "embed_tokens.onnx"));
        model.WriteDecoder(Path.Combine(onnxDir, "decoder_model_merged.onnx"), withAttentions, withUseCacheBranch);
        model.WriteConfigs(directory, imageSplitting);
        WriteTokenizer(directory);
        return directory;
    }

    /// <summary>A weight of <paramref name="fanIn"/> inputs: the fixed scale, or variance 1/fan-in for fan-in-scaled shapes.</summary>
    private string Weight(OnnxGraphBuilder g, string name, float fixedScale, int fanIn, params long[] dims) =>
        g.Weight(name, _shape.FanInScaled ? MathF.Sqrt(3f / fanIn) : fixedScale, dims);

    private void WriteVisionEncoder(string path)
    {
        var s = _shape;
        var g = new OnnxGraphBuilder(_random);
        var pixels = g.Input("pixel_values", DataType.Float, "batch_size", "num_images", 3, "height", "width");
        var mask = g.Input("pixel_attention_mask", DataType.Bool, "batch_size", "num_images", "height", "width");
        var flat = g.Node("Reshape", [pixels, g.Int64s([-1, 3, s.ImageSide, s.ImageSide], 4)]);
        var maskFloat = g.Node("Cast", [mask], null, Int("to", (long)DataType.Float));
        var maskFlat = g.Node("Reshape", [maskFloat, g.Int64s([-1, 1, s.ImageSide, s.ImageSide], 4)]);
        var masked = g.Node("Mul", [flat, maskFlat]);
        var features = s.VisionLayers == 0 ? FoldedVisionStandIn(g, masked) : VisionTransformer(g, masked);
        g.Node("MatMul", [features, Weight(g, "connector.weight", 0.8f, s.ScaleFactor * s.ScaleFactor * s.VisionHidden,
            s.VisionLayers == 0 ? s.Hidden : s.ScaleFactor * s.ScaleFactor * s.VisionHidden, s.Hidden)], "image_features");
        g.Output("image_features", DataType.Float, "num_images_x_batch", s.ImageSeqLen, s.Hidden);
        g.Save(path);
    }

    /// <summary>
    /// Patch embedding and Idefics3's pixel-shuffle connector folded into one strided conv: one
    /// feature per (patch·scale)² block, in row-major order like the real connector.
    /// </summary>
    private string FoldedVisionStandIn(OnnxGraphBuilder g, string masked)
    {
        var s = _shape;
        var side = s.PatchSide * s.ScaleFactor;
        var conv = g.Node("Conv", [masked, g.Weight("patch.weight", 0.15f, s.Hidden, 3, side, side), g.Weight("patch.bias", 0.1f, s.Hidden)], null,
            Ints("kernel_shape", side, side), Ints("strides", side, side));
        var seq = g.Node("Reshape", [conv, g.Int64s([0, s.Hidden, s.ImageSeqLen], 3)]);
        return g.Node("Tanh", [g.Node("Transpose", [seq], null, Ints("perm", 0, 2, 1))]);
    }

    /// <summary>
    /// A SigLIP-style ViT: patch conv, learned positions, pre-norm encoder layers (bidirectional
    /// attention, quick-GELU MLP), post-norm, then Idefics3's pixel shuffle (scale² neighbouring
    /// patches side by side in one feature) ready for the connector.
    /// </summary>
    private string VisionTransformer(OnnxGraphBuilder g, string masked)
    {
        var s = _shape;
        int width = s.VisionHidden, heads = s.VisionHeads, headDim = width / heads, perSide = s.PatchesPerSide;
        var conv = g.Node("Conv", [masked, Weight(g, "vision.patch.weight", 0.15f, 3 * s.PatchSide * s.PatchSide, width, 3, s.PatchSide, s.PatchSide),
            g.Floats("vision.patch.bias", new float[width], width)], null, Ints("kernel_shape", s.PatchSide, s.PatchSide), Ints("strides", s.PatchSide, s.PatchSide));
        var seq = g.Node("Transpose", [g.Node("Reshape", [conv, g.Int64s([0, width, s.Patches], 3)])], null, Ints("perm", 0, 2, 1));
        var x = g.Node("Add", [seq, g.Weight("vision.position.weight", 0.02f, s.Patches, width)]);
        var scale = g.ScalarFloat(1f / MathF.Sqrt(headDim));
        for (var i = 0; i < s.VisionLayers; i++)
        {
            var h = LayerNorm(g, x, $"vision.layers.{i}.attn_norm", width);
            var q = SplitHeads(g, g.Node("MatMul", [h, Weight(g, $"vision.layers.{i}.q", 0.5f, width, width, width)]), heads, headDim);
            var k = SplitHeads(g, g.Node("MatMul", [h, Weight(g, $"vision.layers.{i}.k", 0.5f, width, width, width)]), heads, headDim);
            var v = SplitHeads(g, g.Node("MatMul", [h, Weight(g, $"vision.layers.{i}.v", 0.5f, width, width, width)]), heads, headDim);
            var scores = g.Node("Mul", [g.Node("MatMul", [q, g.Node("Transpose", [k], null, Ints("perm", 0, 1, 3, 2))]), scale]);
            var context = g.Node("MatMul", [g.Node("Softmax", [scores], null, Int("axis", -1)), v]);
            var merged = g.Node("Reshape", [g.Node("Transpose", [context], null, Ints("perm", 0, 2, 1, 3)), g.Int64s([0, 0, width], 3)]);
            x = g.Node("Add", [x, g.Node("MatMul", [merged, Weight(g, $"vision.layers.{i}.o", 0.5f, width, width, width)])]);
            var m = LayerNorm(g, x, $"vision.layers.{i}.mlp_norm", width);
            var up = g.Node("MatMul", [m, Weight(g, $"vision.layers.{i}.up", 0.5f, width, width, s.VisionIntermediate)]);
            var gelu = g.Node("Mul", [up, g.Node("Sigmoid", [g.Node("Mul", [up, g.ScalarFloat(1.702f)])])]);
            x = g.Node("Add", [x, g.Node("MatMul", [gelu, Weight(g, $"vision.layers.{i}.down", 0.5f, s.VisionIntermediate, s.VisionIntermediate, width)])]);
        }
        var final = LayerNorm(g, x, "vision.post_norm", width);
        // Pixel shuffle: the patch grid as (block row, row in block, block column, column in block),
        // blocks first, each block's scale² patches concatenated into one feature.
        int blocks = perSide / s.ScaleFactor, f = s.ScaleFactor;
        var grid = g.Node("Reshape", [final, g.Int64s([0, blocks, f, blocks, f, width], 6)]);
        var grouped = g.Node("Transpose", [grid], null, Ints("perm", 0, 1, 3, 2, 4, 5));
        return g.Node("Reshape", [grouped, g.Int64s([0, s.ImageSeqLen, f * f * width], 3)]);
    }

    private void WriteEmbedTokens(string path)
    {
        var s = _shape;
        var g = new OnnxGraphBuilder(_random);
        var ids = g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Node("Gather", [g.Weight("embed.weight", 1f, s.VocabularySize, s.Hidden), ids], "inputs_embeds");
        g.Output("inputs_embeds", DataType.Float, "batch_size", "sequence_length", s.Hidden);
        g.Save(path);
    }

    private void WriteDecoder(string path, bool withAttentions, bool withUseCacheBranch)
    {
        var s = _shape;
        var g = new OnnxGraphBuilder(_random);
        var embeds = g.Input("inputs_embeds", DataType.Float, "batch_size", "sequence_length", s.Hidden);
        var attentionMask = g.Input("attention_mask", DataType.Int64, "batch_size", "total_sequence_length");
        var positionIds = g.Input("position_ids", DataType.Int64, "batch_size", "sequence_length");
        for (var i = 0; i < s.Layers; i++)
        {
            g.Input($"past_key_values.{i}.key", DataType.Float, "batch_size", s.KeyValueHeads, "past_sequence_length", s.HeadDim);
            g.Input($"past_key_values.{i}.value", DataType.Float, "batch_size", s.KeyValueHeads, "past_sequence_length", s.HeadDim);
        }
        // Older optimum merges switch between a no-cache and a cache subgraph on this flag; this graph
        // handles both in one path, so the input is declared and left unused (ONNX Runtime allows that).
        if (withUseCacheBranch) g.Input("use_cache_branch", DataType.Bool, 1);

        // Causal + padding mask as an additive bias [B, 1, S, T]: query i sits at absolute
        // position T − S + i and may see key j when j ≤ that position and attention_mask[j] = 1.
        var total = g.Node("Gather", [g.Node("Shape", [attentionMask]), g.Scalar(1)], null, Int("axis", 0));
        var length = g.Node("Gather", [g.Node("Shape", [embeds]), g.Scalar(1)], null, Int("axis", 0));
        var past = g.Node("Sub", [total, length]);
        var keys = g.Node("Unsqueeze", [g.Node("Range", [g.Scalar(0), total, g.Scalar(1)]), g.Int64s([0], 1)]);
        var queries = g.Node("Unsqueeze", [g.Node("Range", [past, total, g.Scalar(1)]), g.Int64s([1], 1)]);
        var causal = g.Node("LessOrEqual", [keys, queries]);
        var padding = g.Node("Unsqueeze", [g.Node("Cast", [attentionMask], null, Int("to", (long)DataType.Bool)), g.Int64s([1, 2], 2)]);
        var allowed = g.Node("And", [causal, padding]);
        var bias = g.Node("Where", [allowed, g.ScalarFloat(0f), g.ScalarFloat(-1e9f)]);

        var x = g.Node("Add", [embeds, g.Node("Gather", [g.Weight("position.weight", s.FanInScaled ? 0.02f : 0.5f, s.MaxPositions, s.Hidden), positionIds])]);
        var scale = g.ScalarFloat(1f / MathF.Sqrt(s.HeadDim));
        int hidden = s.Hidden, kvWidth = s.KeyValueHeads * s.HeadDim;
        for (var i = 0; i < s.Layers; i++)
        {
            var h = LayerNorm(g, x, $"layers.{i}.attn_norm", hidden);
            var q = SplitHeads(g, g.Node("MatMul", [h, Weight(g, $"layers.{i}.q", 0.5f, hidden, hidden, hidden)]), s.Heads, s.HeadDim);
            var k = SplitHeads(g, g.Node("MatMul", [h, Weight(g, $"layers.{i}.k", 0.5f, hidden, hidden, kvWidth)]), s.KeyValueHeads, s.HeadDim);
            var v = SplitHeads(g, g.Node("MatMul", [h, Weight(g, $"layers.{i}.v", 0.5f, hidden, hidden, kvWidth)]), s.KeyValueHeads, s.HeadDim);
            var presentKey = g.Node("Concat", [$"past_key_values.{i}.key", k], $"present.{i}.key", Int("axis", 2));
            var presentValue = g.Node("Concat", [$"past_key_values.{i}.value", v], $"present.{i}.value", Int("axis", 2));
            // Each key/value head serves Heads / KeyValueHeads query heads.
            var groups = g.Int64s([1, s.Heads / s.KeyValueHeads, 1, 1], 4);
            var sharedKey = g.Node("Tile", [presentKey, groups]);
            var sharedValue = g.Node("Tile", [presentValue, groups]);
            var scores = g.Node("MatMul", [q, g.Node("Transpose", [sharedKey], null, Ints("perm", 0, 1, 3, 2))]);
            var biased = g.Node("Add", [g.Node("Mul", [scores, scale]), bias]);
            var probs = g.Node("Softmax", [biased], withAttentions ? $"attentions.{i}" : null, Int("axis", -1));
            var context = g.Node("MatMul", [probs, sharedValue]);
            var merged = g.Node("Reshape", [g.Node("Transpose", [context], null, Ints("perm", 0, 2, 1, 3)), g.Int64s([0, 0, hidden], 3)]);
            x = g.Node("Add", [x, g.Node("MatMul", [merged, Weight(g, $"layers.{i}.o", 0.5f, hidden, hidden, hidden)])]);
            x = g.Node("Add", [x, FeedForward(g, LayerNorm(g, x, $"layers.{i}.mlp_norm", hidden), i)]);
        }
        var final = LayerNorm(g, x, "final_norm", hidden);
        // A bias toward lower-case letters and space keeps the random model's answers readable text.
        var lmBias = new float[s.VocabularySize];
        foreach (var c in "abcdefghijklmnopqrstuvwxyz ") lmBias[c] = s.LetterBias; // ASCII byte value = token id in this vocabulary
        g.Node("Add", [g.Node("MatMul", [final, Weight(g, "lm_head", 0.6f, hidden, hidden, s.VocabularySize)]), g.Floats("lm_head.bias", lmBias, s.VocabularySize)], "logits");

        g.Output("logits", DataType.Float, "batch_size", "sequence_length", s.VocabularySize);
        for (var i = 0; i < s.Layers; i++)
        {
            g.Output($"present.{i}.key", DataType.Float, "batch_size", s.KeyValueHeads, "total_sequence_length", s.HeadDim);
            g.Output($"present.{i}.value", DataType.Float, "batch_size", s.KeyValueHeads, "total_sequence_length", s.HeadDim);
        }
        if (withAttentions)
            for (var i = 0; i < s.Layers; i++)
                g.Output($"attentions.{i}", DataType.Float, "batch_size", s.Heads, "sequence_length", "total_sequence_length");
        g.Save(path);
    }

    /// <summary>SwiGLU (SmolLM2's MLP) or, for the tiny model, ReLU between two projections.</summary>
    private string FeedForward(OnnxGraphBuilder g, string m, int layer)
    {
        int hidden = _shape.Hidden, inner = _shape.Intermediate;
        string activated;
        if (_shape.GatedMlp)
        {
            var gate = g.Node("MatMul", [m, Weight(g, $"layers.{layer}.gate", 0.5f, hidden, hidden, inner)]);
            var up = g.Node("MatMul", [m, Weight(g, $"layers.{layer}.up", 0.5f, hidden, hidden, inner)]);
            activated = g.Node("Mul", [g.Node("Mul", [gate, g.Node("Sigmoid", [gate])]), up]);
        }
        else
        {
            activated = g.Node("Relu", [g.Node("MatMul", [m, Weight(g, $"layers.{layer}.up", 0.5f, hidden, hidden, inner)])]);
        }
        return g.Node("MatMul", [activated, Weight(g, $"layers.{layer}.down", 0.5f, inner, inner, hidden)]);
    }

    private static string SplitHeads(OnnxGraphBuilder g, string x, int heads, int headDim) =>
        g.Node("Transpose", [g.Node("Reshape", [x, g.Int64s([0, 0, heads, headDim], 4)])], null, Ints("perm", 0, 2, 1, 3));

    private static string LayerNorm(OnnxGraphBuilder g, string x, string name, int width) =>
        g.Node("LayerNormalization", [x, g.Floats($"{name}.weight", Enumerable.Repeat(1f, width).ToArray(), width), g.Floats($"{name}.bias", new float[width], width)],
            null, Int("axis", -1));

    private void WriteConfigs(string directory, bool imageSplitting)
    {
        var s = _shape;
        var options = new JsonSerializerOptions { WriteIndented = true };
        void Write(string name, object value) => File.WriteAllText(Path.Combine(directory, name), JsonSerializer.Serialize(value, options));

        Write("config.json", new Dictionary<string, object>
        {
            ["architectures"] = new[] { "Idefics3ForConditionalGeneration" },
            ["model_type"] = "idefics3",
            ["image_token_id"] = TokenId("<image>"),
            ["scale_factor"] = s.ScaleFactor,
            ["vocab_size"] = s.VocabularySize,
            ["text_config"] = new Dictionary<string, object>
            {
                ["model_type"] = "llama", ["hidden_size"] = s.Hidden, ["num_attention_heads"] = s.Heads, ["num_key_value_heads"] = s.KeyValueHeads,
                ["num_hidden_layers"] = s.Layers, ["intermediate_size"] = s.Intermediate, ["vocab_size"] = s.VocabularySize,
                ["max_position_embeddings"] = s.MaxPositions,
            },
            ["vision_config"] = new Dictionary<string, object>
            {
                ["image_size"] = s.ImageSide, ["patch_size"] = s.PatchSide, ["hidden_size"] = s.VisionLayers == 0 ? s.Hidden : s.VisionHidden,
                ["num_hidden_layers"] = s.VisionLayers, ["num_attention_heads"] = s.VisionHeads, ["intermediate_size"] = s.VisionIntermediate,
            },
        });
        Write("preprocessor_config.json", new Dictionary<string, object>
        {
            ["image_processor_type"] = "Idefics3ImageProcessor",
            ["do_convert_rgb"] = true, ["do_resize"] = true, ["do_rescale"] = true, ["do_normalize"] = true, ["do_pad"] = true,
            ["do_image_splitting"] = imageSplitting,
            ["size"] = new Dictionary<string, int> { ["longest_edge"] = s.MaxTilesPerSide * s.ImageSide },
            ["max_image_size"] = new Dictionary<string, int> { ["longest_edge"] = s.ImageSide },
            ["rescale_factor"] = 1 / 255.0, ["image_mean"] = new[] { 0.5, 0.5, 0.5 }, ["image_std"] = new[] { 0.5, 0.5, 0.5 }, ["resample"] = 1,
        });
        Write("processor_config.json", new Dictionary<string, object> { ["image_seq_len"] = s.ImageSeqLen, ["processor_class"] = "Idefics3Processor" });
        Write("generation_config.json", new Dictionary<string, object>
        {
            ["bos_token_id"] = TokenId("<|im_start|>"), ["eos_token_id"] = new[] { TokenId("<end_of_utterance>"), TokenId("<|im_end|>") },
            ["pad_token_id"] = TokenId("<|endoftext|>"),
        });
        Write("chat_template.json", new Dictionary<string, string> { ["chat_template"] = ChatTemplate });
        Write("tokenizer_config.json", new Dictionary<string, object>
        {
            ["tokenizer_class"] = "GPT2Tokenizer", ["bos_token"] = "<|im_start|>", ["eos_token"] = "<end_of_utterance>", ["pad_token"] = "<|endoftext|>",
            ["add_bos_token"] = false,
        });
    }

    private static void WriteTokenizer(string directory)
    {
        var byteChars = ByteLevelAlphabet();
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++) vocab[byteChars[b].ToString()] = b;
        foreach (var (left, right) in Merges) vocab[left + right] = vocab.Count;
        var added = SpecialTokens.ToDictionary(t => t, TokenId);
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocab));
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in Merges) merges.Append(left).Append(' ').Append(right).Append('\n');
        File.WriteAllText(Path.Combine(directory, "merges.txt"), merges.ToString());
        File.WriteAllText(Path.Combine(directory, "added_tokens.json"), JsonSerializer.Serialize(added));
    }

    /// <summary>GPT-2's byte → printable character table (bytes.to_unicode), the byte-level BPE alphabet.</summary>
    private static char[] ByteLevelAlphabet()
    {
        var table = new char[256];
        var extra = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)(256 + extra++);
        }
        return table;
    }
}

using System.Text;
using System.Text.Json;
using Onnx;
using static CollabVlm.Inference.Tests.Vlm.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CollabVlm.Inference.Tests.Vlm;

/// <summary>
/// Writes a tiny SmolVLM/Idefics3-shaped model folder in the transformers.js / onnx-community
/// layout: <c>onnx/vision_encoder.onnx</c>, <c>onnx/embed_tokens.onnx</c>,
/// <c>onnx/decoder_model_merged.onnx</c> with the real export's input and output names and ranks
/// (<c>past_key_values.N.key/value</c> → <c>present.N.key/value</c>), optional
/// <c>attentions.N</c> outputs taken from plain Softmax nodes, seeded random weights, and the
/// config, preprocessor, generation, tokenizer (byte-level BPE) and chat-template files.
/// </summary>
public static class TinyVlm
{
    public const int Hidden = 16;
    public const int Heads = 4;
    /// <summary>Grouped-query attention as in SmolVLM (9 query heads over 3 key/value heads): the cache holds fewer heads than attention.</summary>
    public const int KeyValueHeads = 2;
    public const int HeadDim = Hidden / Heads;
    public const int Layers = 2;
    public const int ImageSide = 32;
    public const int PatchSide = 4;
    public const int ScaleFactor = 2;
    public const int ImageSeqLen = ImageSide / PatchSide * (ImageSide / PatchSide) / (ScaleFactor * ScaleFactor); // 16 = 4×4
    public const int VocabularySize = 288;
    private const int MaxPositions = 2048;

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

    public static int TokenId(string special) => 256 + Merges.Length + Array.IndexOf(SpecialTokens, special);

    /// <summary>Writes the folder and returns it.</summary>
    public static string Create(string directory, bool withAttentions = true, bool imageSplitting = false, int seed = 7, bool withUseCacheBranch = false)
    {
        var onnxDir = Path.Combine(directory, "onnx");
        Directory.CreateDirectory(onnxDir);
        var random = new Random(seed);
        WriteVisionEncoder(Path.Combine(onnxDir, "vision_encoder.onnx"), random);
        WriteEmbedTokens(Path.Combine(onnxDir, "embed_tokens.onnx"), random);
        WriteDecoder(Path.Combine(onnxDir, "decoder_model_merged.onnx"), random, withAttentions, withUseCacheBranch);
        WriteConfigs(directory, imageSplitting);
        WriteTokenizer(directory);
        return directory;
    }

    private static void WriteVisionEncoder(string path, Random random)
    {
        var g = new OnnxGraphBuilder(random);
        var pixels = g.Input("pixel_values", DataType.Float, "batch_size", "num_images", 3, "height", "width");
        var mask = g.Input("pixel_attention_mask", DataType.Bool, "batch_size", "num_images", "height", "width");
        var flat = g.Node("Reshape", [pixels, g.Int64s([-1, 3, ImageSide, ImageSide], 4)]);
        var maskFloat = g.Node("Cast", [mask], null, Int("to", (long)DataType.Float));
        var maskFlat = g.Node("Reshape", [maskFloat, g.Int64s([-1, 1, ImageSide, ImageSide], 4)]);
        var masked = g.Node("Mul", [flat, maskFlat]);
        // Patch embedding and Idefics3's pixel-shuffle connector folded into one strided conv: one
        // feature per (patch·scale)² block, in row-major order like the real connector.
        var side = PatchSide * ScaleFactor;
        var conv = g.Node("Conv", [masked, g.Weight("patch.weight", 0.15f, Hidden, 3, side, side), g.Weight("patch.bias", 0.1f, Hidden)], null,
            Ints("kernel_shape", side, side), Ints("strides", side, side));
        var seq = g.Node("Reshape", [conv, g.Int64s([0, Hidden, ImageSeqLen], 3)]);
        var tokens = g.Node("Transpose", [seq], null, Ints("perm", 0, 2, 1));
        var act = g.Node("Tanh", [tokens]);
        g.Node("MatMul", [act, g.Weight("connector.weight", 0.8f, Hidden, Hidden)], "image_features");
        g.Output("image_features", DataType.Float, "num_images_x_batch", ImageSeqLen, Hidden);
        g.Save(path);
    }

    private static void WriteEmbedTokens(string path, Random random)
    {
        var g = new OnnxGraphBuilder(random);
        var ids = g.Input("input_ids", DataType.Int64, "batch_size", "sequence_length");
        g.Node("Gather", [g.Weight("embed.weight", 1f, VocabularySize, Hidden), ids], "inputs_embeds");
        g.Output("inputs_embeds", DataType.Float, "batch_size", "sequence_length", Hidden);
        g.Save(path);
    }

    private static void WriteDecoder(string path, Random random, bool withAttentions, bool withUseCacheBranch)
    {
        var g = new OnnxGraphBuilder(random);
        var embeds = g.Input("inputs_embeds", DataType.Float, "batch_size", "sequence_length", Hidden);
        var attentionMask = g.Input("attention_mask", DataType.Int64, "batch_size", "total_sequence_length");
        var positionIds = g.Input("position_ids", DataType.Int64, "batch_size", "sequence_length");
        for (var i = 0; i < Layers; i++)
        {
            g.Input($"past_key_values.{i}.key", DataType.Float, "batch_size", KeyValueHeads, "past_sequence_length", HeadDim);
            g.Input($"past_key_values.{i}.value", DataType.Float, "batch_size", KeyValueHeads, "past_sequence_length", HeadDim);
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

        var x = g.Node("Add", [embeds, g.Node("Gather", [g.Weight("position.weight", 0.5f, MaxPositions, Hidden), positionIds])]);
        var scale = g.ScalarFloat(1f / MathF.Sqrt(HeadDim));
        for (var i = 0; i < Layers; i++)
        {
            var h = LayerNorm(g, x, $"layers.{i}.attn_norm");
            var q = SplitHeads(g, g.Node("MatMul", [h, g.Weight($"layers.{i}.q", 0.5f, Hidden, Hidden)]), Heads);
            var k = SplitHeads(g, g.Node("MatMul", [h, g.Weight($"layers.{i}.k", 0.5f, Hidden, KeyValueHeads * HeadDim)]), KeyValueHeads);
            var v = SplitHeads(g, g.Node("MatMul", [h, g.Weight($"layers.{i}.v", 0.5f, Hidden, KeyValueHeads * HeadDim)]), KeyValueHeads);
            var presentKey = g.Node("Concat", [$"past_key_values.{i}.key", k], $"present.{i}.key", Int("axis", 2));
            var presentValue = g.Node("Concat", [$"past_key_values.{i}.value", v], $"present.{i}.value", Int("axis", 2));
            // Each key/value head serves Heads / KeyValueHeads query heads.
            var groups = g.Int64s([1, Heads / KeyValueHeads, 1, 1], 4);
            var sharedKey = g.Node("Tile", [presentKey, groups]);
            var sharedValue = g.Node("Tile", [presentValue, groups]);
            var scores = g.Node("MatMul", [q, g.Node("Transpose", [sharedKey], null, Ints("perm", 0, 1, 3, 2))]);
            var biased = g.Node("Add", [g.Node("Mul", [scores, scale]), bias]);
            var probs = g.Node("Softmax", [biased], withAttentions ? $"attentions.{i}" : null, Int("axis", -1));
            var context = g.Node("MatMul", [probs, sharedValue]);
            var merged = g.Node("Reshape", [g.Node("Transpose", [context], null, Ints("perm", 0, 2, 1, 3)), g.Int64s([0, 0, Hidden], 3)]);
            x = g.Node("Add", [x, g.Node("MatMul", [merged, g.Weight($"layers.{i}.o", 0.5f, Hidden, Hidden)])]);
            var m = LayerNorm(g, x, $"layers.{i}.mlp_norm");
            var up = g.Node("Relu", [g.Node("MatMul", [m, g.Weight($"layers.{i}.up", 0.5f, Hidden, 2 * Hidden)])]);
            x = g.Node("Add", [x, g.Node("MatMul", [up, g.Weight($"layers.{i}.down", 0.5f, 2 * Hidden, Hidden)])]);
        }
        var final = LayerNorm(g, x, "final_norm");
        // A bias toward lower-case letters and space keeps the random model's answers readable text.
        var lmBias = new float[VocabularySize];
        foreach (var c in "abcdefghijklmnopqrstuvwxyz ") lmBias[ByteToken(c)] = 1.5f;
        g.Node("Add", [g.Node("MatMul", [final, g.Weight("lm_head", 0.6f, Hidden, VocabularySize)]), g.Floats("lm_head.bias", lmBias, VocabularySize)], "logits");

        g.Output("logits", DataType.Float, "batch_size", "sequence_length", VocabularySize);
        for (var i = 0; i < Layers; i++)
        {
            g.Output($"present.{i}.key", DataType.Float, "batch_size", KeyValueHeads, "total_sequence_length", HeadDim);
            g.Output($"present.{i}.value", DataType.Float, "batch_size", KeyValueHeads, "total_sequence_length", HeadDim);
        }
        if (withAttentions)
            for (var i = 0; i < Layers; i++)
                g.Output($"attentions.{i}", DataType.Float, "batch_size", Heads, "sequence_length", "total_sequence_length");
        g.Save(path);
    }

    private static int ByteToken(char c) => c; // ASCII byte value = token id in this vocabulary

    private static string SplitHeads(OnnxGraphBuilder g, string x, int heads) =>
        g.Node("Transpose", [g.Node("Reshape", [x, g.Int64s([0, 0, heads, HeadDim], 4)])], null, Ints("perm", 0, 2, 1, 3));

    private static string LayerNorm(OnnxGraphBuilder g, string x, string name) =>
        g.Node("LayerNormalization", [x, g.Floats($"{name}.weight", Enumerable.Repeat(1f, Hidden).ToArray(), Hidden), g.Floats($"{name}.bias", new float[Hidden], Hidden)],
            null, Int("axis", -1));

    private static void WriteConfigs(string directory, bool imageSplitting)
    {
        var options = new JsonSerializerOptions { WriteIndented = true };
        void Write(string name, object value) => File.WriteAllText(Path.Combine(directory, name), JsonSerializer.Serialize(value, options));

        Write("config.json", new Dictionary<string, object>
        {
            ["architectures"] = new[] { "Idefics3ForConditionalGeneration" },
            ["model_type"] = "idefics3",
            ["image_token_id"] = TokenId("<image>"),
            ["scale_factor"] = ScaleFactor,
            ["vocab_size"] = VocabularySize,
            ["text_config"] = new Dictionary<string, object>
            {
                ["model_type"] = "llama", ["hidden_size"] = Hidden, ["num_attention_heads"] = Heads, ["num_key_value_heads"] = KeyValueHeads,
                ["num_hidden_layers"] = Layers, ["vocab_size"] = VocabularySize, ["max_position_embeddings"] = MaxPositions,
            },
            ["vision_config"] = new Dictionary<string, object> { ["image_size"] = ImageSide, ["patch_size"] = PatchSide, ["hidden_size"] = Hidden },
        });
        Write("preprocessor_config.json", new Dictionary<string, object>
        {
            ["image_processor_type"] = "Idefics3ImageProcessor",
            ["do_convert_rgb"] = true, ["do_resize"] = true, ["do_rescale"] = true, ["do_normalize"] = true, ["do_pad"] = true,
            ["do_image_splitting"] = imageSplitting,
            ["size"] = new Dictionary<string, int> { ["longest_edge"] = 2 * ImageSide },
            ["max_image_size"] = new Dictionary<string, int> { ["longest_edge"] = ImageSide },
            ["rescale_factor"] = 1 / 255.0, ["image_mean"] = new[] { 0.5, 0.5, 0.5 }, ["image_std"] = new[] { 0.5, 0.5, 0.5 }, ["resample"] = 1,
        });
        Write("processor_config.json", new Dictionary<string, object> { ["image_seq_len"] = ImageSeqLen, ["processor_class"] = "Idefics3Processor" });
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

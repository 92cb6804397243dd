using System.Text.Json.Nodes;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// What the backend reads from an Idefics3 / SmolVLM model folder's JSON files. Each field names
/// the file and key it came from; a missing required key is an error that says so.
/// </summary>
public sealed record VlmConfig
{
    /// <summary>config.json <c>image_token_id</c>: the id whose embedding rows image features replace.</summary>
    public required int ImageTokenId { get; init; }
    /// <summary>config.json <c>text_config.num_hidden_layers</c>.</summary>
    public required int Layers { get; init; }
    /// <summary>config.json <c>text_config.num_attention_heads</c>.</summary>
    public required int AttentionHeads { get; init; }
    /// <summary>config.json <c>text_config.num_key_value_heads</c> (default: the attention heads).</summary>
    public required int KeyValueHeads { get; init; }
    /// <summary>config.json <c>text_config.head_dim</c> (default: hidden_size / num_attention_heads).</summary>
    public required int HeadDim { get; init; }
    /// <summary>config.json <c>vocab_size</c> or <c>text_config.vocab_size</c>: width of the logits.</summary>
    public required int VocabularySize { get; init; }
    /// <summary>processor_config.json <c>image_seq_len</c>, else (image_size / patch_size)² / scale_factor².</summary>
    public required int ImageSeqLen { get; init; }
    /// <summary>preprocessor_config.json <c>max_image_size.longest_edge</c>: side of one square tile the encoder sees.</summary>
    public required int TileSide { get; init; }
    /// <summary>preprocessor_config.json <c>size.longest_edge</c>: the image's long side before splitting into tiles.</summary>
    public required int ResizeLongestEdge { get; init; }
    public required bool DoResize { get; init; }
    public required bool DoImageSplitting { get; init; }
    public required bool DoRescale { get; init; }
    public required double RescaleFactor { get; init; }
    public required bool DoNormalize { get; init; }
    public required double[] ImageMean { get; init; }
    public required double[] ImageStd { get; init; }
    /// <summary>generation_config.json <c>eos_token_id</c> (number or list), falling back to config.json's.</summary>
    public required IReadOnlyList<int> EosTokenIds { get; init; }

    public static VlmConfig Load(string directory)
    {
        var config = ReadJson(directory, "config.json", required: true)!;
        var pre = ReadJson(directory, "preprocessor_config.json", required: true)!;
        var processor = ReadJson(directory, "processor_config.json", required: false);
        var generation = ReadJson(directory, "generation_config.json", required: false);
        var text = config["text_config"] as JsonObject ?? config;
        var vision = config["vision_config"] as JsonObject;

        int Int(JsonNode? node, string where) =>
            node is JsonValue v && v.TryGetValue<int>(out var i) ? i
            : node is JsonValue d && d.TryGetValue<double>(out var x) && x == Math.Floor(x) ? (int)x
            : throw new InvalidDataException($"model config: {where} is missing or not an integer");

        var heads = Int(text["num_attention_heads"], "config.json text_config.num_attention_heads");
        var hidden = Int(text["hidden_size"], "config.json text_config.hidden_size");
        var scale = config["scale_factor"] is null ? 1 : Int(config["scale_factor"], "config.json scale_factor");
        int imageSeqLen;
        if (processor?["image_seq_len"] is { } seqNode)
            imageSeqLen = Int(seqNode, "processor_config.json image_seq_len");
        else if (vision is not null)
        {
            var perSide = Int(vision["image_size"], "config.json vision_config.image_size") / Int(vision["patch_size"], "config.json vision_config.patch_size");
            imageSeqLen = perSide * perSide / (scale * scale);
        }
        else throw new InvalidDataException("model config: neither processor_config.json image_seq_len nor config.json vision_config.image_size/patch_size says how many tokens an image takes");

        var tile = Int(pre["max_image_size"]?["longest_edge"] ?? vision?["image_size"], "preprocessor_config.json max_image_size.longest_edge");
        var eos = ReadIds(generation?["eos_token_id"]) ?? ReadIds(config["eos_token_id"]) ?? ReadIds(text["eos_token_id"]) ?? [];

        return new VlmConfig
        {
            ImageTokenId = Int(config["image_token_id"], "config.json image_token_id"),
            Layers = Int(text["num_hidden_layers"], "config.json text_config.num_hidden_layers"),
            AttentionHeads = heads,
            KeyValueHeads = text["num_key_value_heads"] is null ? heads : Int(text["num_key_value_heads"], "config.json text_config.num_key_value_heads"),
            HeadDim = text["head_dim"] is null ? hidden / heads : Int(text["head_dim"], "config.json text_config.head_dim"),
            VocabularySize = Int(config["vocab_size"] ?? text["vocab_size"], "config.json vocab_size"),
            ImageSeqLen = imageSeqLen,
            TileSide = tile,
            ResizeLongestEdge = pre["size"]?["longest_edge"] is { } edge ? Int(edge, "preprocessor_config.json size.longest_edge") : tile,
            DoResize = Bool(pre["do_resize"], true),
            DoImageSplitting = Bool(pre["do_image_splitting"], false),
            DoRescale = Bool(pre["do_rescale"], true),
            RescaleFactor = pre["rescale_factor"]?.GetValue<double>() ?? 1 / 255.0,
            DoNormalize = Bool(pre["do_normalize"], true),
            ImageMean = Triple(pre["image_mean"], "image_mean", 0.5),
            ImageStd = Triple(pre["image_std"], "image_std", 0.5),
            EosTokenIds = eos,
        };
    }

    private static JsonObject? ReadJson(string directory, string name, bool required)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
            return required ? throw new FileNotFoundException($"VLM model folder {directory} lacks {name}", path) : null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{name} is not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{name} in {directory} is not valid JSON: {e.Message}", e);
        }
    }

    private static bool Bool(JsonNode? node, bool fallback) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    private static double[] Triple(JsonNode? node, string key, double fallback)
    {
        if (node is null) return [fallback, fallback, fallback];
        if (node is JsonValue single) return Enumerable.Repeat(single.GetValue<double>(), 3).ToArray();
        var values = node.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        return values.Length == 3 ? values : throw new InvalidDataException($"preprocessor_config.json {key} must have 3 values (RGB), has {values.Length}");
    }

    private static int[]? ReadIds(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.Select(n => n!.GetValue<int>()).ToArray(),
        _ => [node.GetValue<int>()],
    };
}

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// The files of a decoder-only VLM export in the transformers.js / onnx-community layout:
/// configuration and tokenizer files in the folder, the three ONNX graphs in its <c>onnx/</c>
/// subfolder (or beside the configs). A quantized variant is chosen by file suffix
/// (<c>decoder_model_merged_q4.onnx</c> for variant "q4"), the same suffix for all three graphs.
/// </summary>
public sealed record VlmModelFiles(string Directory, string VisionEncoder, string EmbedTokens, string Decoder)
{
    public static readonly string[] GraphNames = ["vision_encoder", "embed_tokens", "decoder_model_merged"];

    public static readonly string[] RequiredConfigFiles = ["config.json", "preprocessor_config.json"];

    public static VlmModelFiles Locate(string directory, string? variant = null)
    {
        if (string.IsNullOrWhiteSpace(directory))
            throw new ArgumentException("the VLM model folder is not set (Model:Path)");
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
            throw new DirectoryNotFoundException($"VLM model folder {root} does not exist");

        var suffix = string.IsNullOrEmpty(variant) ? "" : "_" + variant;
        var graphs = new string[GraphNames.Length];
        var missing = new List<string>();
        for (var i = 0; i < GraphNames.Length; i++)
        {
            var file = GraphNames[i] + suffix + ".onnx";
            var found = new[] { Path.Combine(root, "onnx", file), Path.Combine(root, file) }.FirstOrDefault(File.Exists);
            if (found is null) missing.Add($"onnx/{file}");
            graphs[i] = found ?? "";
        }
        missing.AddRange(RequiredConfigFiles.Where(f => !File.Exists(Path.Combine(root, f))));
        if (!File.Exists(Path.Combine(root, "vocab.json")) || !File.Exists(Path.Combine(root, "merges.txt")))
            missing.Add("vocab.json + merges.txt (byte-level BPE tokenizer files)");
        if (missing.Count > 0)
        {
            var variants = VariantsPresent(root);
            throw new FileNotFoundException(
                $"VLM model folder {root} lacks {string.Join(", ", missing)}; expected the transformers.js / onnx-community layout " +
                $"(onnx/vision_encoder{suffix}.onnx, onnx/embed_tokens{suffix}.onnx, onnx/decoder_model_merged{suffix}.onnx, config.json, " +
                $"preprocessor_config.json, vocab.json, merges.txt)" +
                (variants.Count > 0 ? $"; decoder variants present: {string.Join(", ", variants.Select(v => v.Length == 0 ? "(none)" : v))}" : ""));
        }
        return new VlmModelFiles(root, graphs[0], graphs[1], graphs[2]);
    }

    /// <summary>Suffixes of the decoder files present ("" for the unsuffixed one), to name in errors.</summary>
    private static List<string> VariantsPresent(string root) =>
        new[] { root, Path.Combine(root, "onnx") }
            .Where(System.IO.Directory.Exists)
            .SelectMany(d => System.IO.Directory.GetFiles(d, "decoder_model_merged*.onnx"))
            .Select(f => Path.GetFileNameWithoutExtension(f)["decoder_model_merged".Length..].TrimStart('_'))
            .Distinct().Order().ToList();
}

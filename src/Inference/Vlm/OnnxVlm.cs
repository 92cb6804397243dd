using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// A decoder-only VLM export (Idefics3 / SmolVLM, transformers.js / onnx-community layout) behind
/// the vision-language interface. Global pass: one image in the prompt. Refined pass: the global
/// and the local image as two images in one prompt (the paper's second stage). The relevance map is
/// ViCrop rel-att over the global image from the decoder's attention outputs; an export without them
/// gets the feature-similarity proxy, and <see cref="ModelOutput.RelevanceSource"/> says which.
/// </summary>
public sealed class OnnxVlm : IVisionLanguageModel
{
    private readonly VlmOptions _options;
    private readonly ImageLimits _limits;
    private readonly InferenceSession _vision;
    private readonly InferenceSession _embed;
    private readonly InferenceSession _decoder;
    private readonly GreedyGenerator _generator;
    private readonly HashSet<long> _stopIds;
    private readonly int _grid;
    private readonly int _attentionLayer;

    public OnnxVlm(VlmOptions options, ImageLimits? limits = null)
    {
        _options = options;
        _limits = limits ?? ImageLimits.Default;
        if (options.MaxNewTokens < 1) throw new ArgumentException($"MaxNewTokens must be ≥ 1, got {options.MaxNewTokens}");
        Files = VlmModelFiles.Locate(options.ModelDirectory, options.Variant);
        Config = VlmConfig.Load(Files.Directory);
        if (options.ImageSplitting is { } splitting) Config = Config with { DoImageSplitting = splitting };
        Tokenizer = VlmTokenizer.Load(Files.Directory);
        Idefics3Prompt.LoadTemplate(Files.Directory);
        foreach (var token in new[] { Idefics3Prompt.Image, Idefics3Prompt.FakeTokenAroundImage, Idefics3Prompt.GlobalImage, "<|im_start|>", "<end_of_utterance>" })
            Tokenizer.AddedTokenId(token);
        if (Tokenizer.AddedTokenId(Idefics3Prompt.Image) != Config.ImageTokenId)
            throw new InvalidDataException($"config.json image_token_id is {Config.ImageTokenId} but the tokenizer maps <image> to {Tokenizer.AddedTokenId(Idefics3Prompt.Image)}");
        // Checked before any session opens; the contract check later confirms the decoder has Config.Layers layers.
        _attentionLayer = options.AttentionLayer ?? Config.Layers / 2;
        if (_attentionLayer < 0 || _attentionLayer >= Config.Layers)
            throw new ArgumentException($"AttentionLayer {_attentionLayer} is outside the decoder's {Config.Layers} layers");
        _grid = (int)Math.Round(Math.Sqrt(Config.ImageSeqLen));
        if (_grid * _grid != Config.ImageSeqLen)
            throw new InvalidDataException($"image_seq_len {Config.ImageSeqLen} is not a square: the backend lays image tokens on a square grid");

        (_vision, ExecutionProvider) = OnnxSessionFactory.Open(Files.VisionEncoder, options.ExecutionProvider, options.IntraOpThreads, options.IntraOpSpinning);
        try
        {
            (_embed, _) = OnnxSessionFactory.Open(Files.EmbedTokens, options.ExecutionProvider, options.IntraOpThreads, options.IntraOpSpinning);
            (_decoder, _) = OnnxSessionFactory.Open(Files.Decoder, options.ExecutionProvider, options.IntraOpThreads, options.IntraOpSpinning);
            Contract = VlmExportContract.Check(_vision, _embed, _decoder, Config);
        }
        catch
        {
            Dispose();
            throw;
        }
        var hidden = _embed.OutputMetadata["inputs_embeds"].Dimensions[^1];
        if (hidden <= 0) throw new InvalidDataException("embed_tokens.onnx output inputs_embeds has no fixed width; cannot tell the hidden size");
        _generator = new GreedyGenerator(_embed, _decoder, Contract, hidden);
        _stopIds = [.. Config.EosTokenIds.Select(i => (long)i), Tokenizer.AddedTokenId("<end_of_utterance>")];
    }

    public string Name => "onnx-vlm:" + Path.GetFileName(Files.Directory.TrimEnd(Path.DirectorySeparatorChar));

    public int GlobalLongSide => _options.GlobalLongSide ?? Config.TileSide;

    /// <summary>The provider the sessions run on: "CUDA", or "CPU (why not CUDA)".</summary>
    public string ExecutionProvider { get; }

    public VlmModelFiles Files { get; }
    public VlmConfig Config { get; }
    public VlmTokenizer Tokenizer { get; }
    public VlmExportContract Contract { get; }
    /// <summary>The greedy decoder over this model's sessions, for timing single passes (collabvlm-bench vlm-latency).</summary>
    public GreedyGenerator Generator => _generator;

    public RelevanceSource RelevanceSource => Contract.HasAttentions ? RelevanceSource.Attention : RelevanceSource.FeatureSimilarityProxy;

    public Task<ModelOutput> AnswerAsync(ModelInput input, CancellationToken cancellationToken) =>
        Task.Run(() => Answer(input, cancellationToken), cancellationToken);

    private ModelOutput Answer(ModelInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var global = SafeImageDecoder.Decode(input.Global, _limits);
        using var local = input.Local is null ? null : SafeImageDecoder.Decode(input.Local, _limits);
        var images = local is null ? new[] { global } : new[] { global, local };
        var (result, prompt) = Generate(input.Question, images, _options.UseKvCache, keepLogits: false, cancellationToken);
        var relevance = Relevance(input.Question, global, prompt, result, cancellationToken);
        var answer = Tokenizer.Decode(result.TokenIds).Trim();
        return new ModelOutput(answer, result.Tokens, relevance, Config.VocabularySize, clock.Elapsed, RelevanceSource);
    }

    /// <summary>The prompt as embeddings with the images' features in place, and where each image's global block starts.</summary>
    public sealed record PreparedPrompt(IReadOnlyList<long> Ids, float[] Embeds, float[] ImageFeatures, IReadOnlyList<int> GlobalBlockStarts, IReadOnlyList<int> GlobalBlockRows);

    /// <summary>Answers <paramref name="question"/> about <paramref name="images"/> (one prompt); exposed for tests.</summary>
    public (GenerationResult Result, PreparedPrompt Prompt) Generate(string question, IReadOnlyList<SKBitmap> images, bool useCache, bool keepLogits,
        CancellationToken cancellationToken = default)
    {
        var prompt = Prepare(question, images);
        var result = _generator.Generate(prompt.Embeds, _stopIds, _options.MaxNewTokens, useCache, keepLogits,
            Contract.HasAttentions ? _attentionLayer : null, cancellationToken);
        return (result, prompt);
    }

    /// <summary>Builds the prompt for the images, runs the vision encoder and scatters its features into the image tokens.</summary>
    public PreparedPrompt Prepare(string question, IReadOnlyList<SKBitmap> images)
    {
        ValidateQuestion(question);
        var prepared = images.Select(i => Idefics3ImageProcessor.Prepare(i, Config)).ToList();
        var text = Idefics3Prompt.ExpandImages(Idefics3Prompt.Render(question, images.Count), prepared.Select(p => (p.Rows, p.Cols)).ToList(), Config.ImageSeqLen);
        var ids = Tokenizer.Encode(text);
        var features = EncodeImages(prepared);
        var embeds = _generator.Embed(ids);
        var hidden = _generator.Hidden;
        var positions = new List<int>();
        for (var i = 0; i < ids.Count; i++)
            if (ids[i] == Config.ImageTokenId) positions.Add(i);
        if (positions.Count * hidden != features.Length)
            throw new InvalidDataException(
                $"the prompt holds {positions.Count} image tokens but the vision encoder returned {features.Length / hidden} feature rows: " +
                "image_seq_len (processor_config.json) disagrees with the export");
        for (var r = 0; r < positions.Count; r++)
            features.AsSpan(r * hidden, hidden).CopyTo(embeds.AsSpan(positions[r] * hidden, hidden));

        // Each image's global block is its last image_seq_len image tokens.
        var starts = new List<int>();
        var rows = new List<int>();
        var consumed = 0;
        foreach (var p in prepared)
        {
            consumed += p.Count * Config.ImageSeqLen;
            rows.Add(consumed - Config.ImageSeqLen);
            starts.Add(positions[consumed - Config.ImageSeqLen]);
        }
        return new PreparedPrompt(ids, embeds, features, starts, rows);
    }

    private float[] EncodeImages(List<PreparedImage> prepared)
    {
        var side = Config.TileSide;
        var count = prepared.Sum(p => p.Count);
        var pixels = new float[count * 3 * side * side];
        var at = 0;
        foreach (var p in prepared)
        {
            p.Pixels.CopyTo(pixels, at);
            at += p.Pixels.Length;
        }
        var names = new List<string> { "pixel_values" };
        using var pixelValue = OrtValue.CreateTensorValueFromMemory(pixels, [1, count, 3, side, side]);
        var values = new List<OrtValue> { pixelValue };
        using var maskValue = Contract.HasPixelAttentionMask
            ? OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(true, count * side * side).ToArray(), [1, count, side, side])
            : null;
        if (maskValue is not null)
        {
            names.Add("pixel_attention_mask");
            values.Add(maskValue);
        }
        using var runOptions = new RunOptions();
        using var outputs = _vision.Run(runOptions, names, values, ["image_features"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private RelevanceMap Relevance(string question, SKBitmap global, PreparedPrompt prompt, GenerationResult result, CancellationToken cancellationToken)
    {
        var start = prompt.GlobalBlockStarts[0];
        double[] tokenMap;
        if (Contract.HasAttentions && result.LastPromptTokenAttention is { } questionAttention)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The generic prompt always holds the global image alone, so rel-att means the same in both passes.
            var generic = Prepare(_options.GenericPrompt, [global]);
            var genericAttention = _generator.PromptAttention(generic.Embeds, _attentionLayer);
            tokenMap = AttentionRelevance.RelativeAttention(
                questionAttention.AsSpan(start, Config.ImageSeqLen),
                genericAttention.AsSpan(generic.GlobalBlockStarts[0], Config.ImageSeqLen));
        }
        else
        {
            var hidden = _generator.Hidden;
            var globalBlock = prompt.ImageFeatures.AsSpan(prompt.GlobalBlockRows[0] * hidden, Config.ImageSeqLen * hidden);
            tokenMap = AttentionRelevance.FeatureSimilarity(globalBlock, Config.ImageSeqLen, QuestionMeanEmbedding(question));
        }
        return AttentionRelevance.ToMap(tokenMap, _grid, global.Width, global.Height);
    }

    private float[] QuestionMeanEmbedding(string question)
    {
        var ids = Tokenizer.Encode(question);
        var hidden = _generator.Hidden;
        var mean = new float[hidden];
        if (ids.Count == 0) return mean;
        var embeds = _generator.Embed(ids);
        for (var t = 0; t < ids.Count; t++)
            for (var i = 0; i < hidden; i++) mean[i] += embeds[t * hidden + i] / ids.Count;
        return mean;
    }

    private void ValidateQuestion(string question)
    {
        if (string.IsNullOrWhiteSpace(question)) throw new ArgumentException("the question is empty");
        if (Tokenizer.FindAddedToken(question) is { } token)
            throw new ArgumentException($"the question contains the model's control token {token}");
        var count = Tokenizer.Encode(question).Count;
        if (count > _options.MaxQuestionTokens)
            throw new ArgumentException($"the question is {count} tokens long; at most {_options.MaxQuestionTokens}");
    }

    public void Dispose()
    {
        _vision?.Dispose();
        _embed?.Dispose();
        _decoder?.Dispose();
    }
}

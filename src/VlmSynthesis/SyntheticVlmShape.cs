namespace CollabVlm.VlmSynthesis;

/// <summary>
/// The dimensions of a generated Idefics3/SmolVLM-layout export. <see cref="Tiny"/> is the model the
/// tests run; <see cref="SmolVlm256M"/> has SmolVLM-256M-Instruct's sizes so its latency and memory
/// on a CPU are what the real export costs (the weights stay random).
/// </summary>
/// <param name="MaxTilesPerSide">With image splitting, the long side is resized to this many tiles (SmolVLM: 4 × 512 = 2048 px).</param>
/// <param name="VisionLayers">
/// 0: patch embedding and pixel shuffle folded into one strided convolution (cheap, for tests);
/// otherwise a ViT encoder of that many layers over <see cref="Patches"/> patches per tile.
/// </param>
/// <param name="GatedMlp">SwiGLU feed-forward (gate, up, down) as in SmolLM2; otherwise ReLU (up, down).</param>
/// <param name="FanInScaled">
/// Weights drawn with variance 1/fan-in so 30 layers keep activations in range; false keeps the
/// fixed scales (and the random draws) the tiny model has always had, which the tests' expected outputs rest on.
/// </param>
/// <param name="LetterBias">Added to the logits of lower-case letters and space so random weights answer in readable text.</param>
public sealed record SyntheticVlmShape(
    string Name,
    int Hidden,
    int Heads,
    int KeyValueHeads,
    int Layers,
    int Intermediate,
    bool GatedMlp,
    int VocabularySize,
    int MaxPositions,
    int ImageSide,
    int PatchSide,
    int ScaleFactor,
    int MaxTilesPerSide,
    int VisionLayers,
    int VisionHidden,
    int VisionHeads,
    int VisionIntermediate,
    bool FanInScaled,
    float LetterBias)
{
    /// <summary>2 layers, 16 wide, 4 query over 2 key/value heads, vocabulary 288, 16 tokens per 32-px image.</summary>
    public static SyntheticVlmShape Tiny { get; } = new(
        "tiny", Hidden: 16, Heads: 4, KeyValueHeads: 2, Layers: 2, Intermediate: 32, GatedMlp: false, VocabularySize: 288, MaxPositions: 2048,
        ImageSide: 32, PatchSide: 4, ScaleFactor: 2, MaxTilesPerSide: 2, VisionLayers: 0, VisionHidden: 16, VisionHeads: 1, VisionIntermediate: 0,
        FanInScaled: false, LetterBias: 1.5f);

    /// <summary>
    /// SmolVLM-256M-Instruct's sizes: SmolLM2-135M-style decoder (30 layers, hidden 576, 9 query / 3
    /// key-value heads, SwiGLU 1536, vocabulary 49280, 8192 positions) and a SigLIP-B/16-sized
    /// encoder (12 layers, 768 wide, 12 heads, MLP 3072, 1024 patches per 512-px tile) whose pixel
    /// shuffle (×4) and linear connector give 64 image tokens per tile.
    /// </summary>
    public static SyntheticVlmShape SmolVlm256M { get; } = new(
        "smolvlm-256m", Hidden: 576, Heads: 9, KeyValueHeads: 3, Layers: 30, Intermediate: 1536, GatedMlp: true, VocabularySize: 49280, MaxPositions: 8192,
        ImageSide: 512, PatchSide: 16, ScaleFactor: 4, MaxTilesPerSide: 4, VisionLayers: 12, VisionHidden: 768, VisionHeads: 12, VisionIntermediate: 3072,
        FanInScaled: true, LetterBias: 8f);

    /// <summary>The presets by name, for command lines.</summary>
    public static IReadOnlyDictionary<string, SyntheticVlmShape> Presets { get; } =
        new Dictionary<string, SyntheticVlmShape> { [Tiny.Name] = Tiny, [SmolVlm256M.Name] = SmolVlm256M };

    public int HeadDim => Hidden / Heads;

    /// <summary>Patches per tile side.</summary>
    public int PatchesPerSide => ImageSide / PatchSide;

    public int Patches => PatchesPerSide * PatchesPerSide;

    /// <summary>Image tokens per tile after the pixel shuffle.</summary>
    public int ImageSeqLen => Patches / (ScaleFactor * ScaleFactor);

    /// <summary>Throws when the sizes cannot form the graphs (heads must divide widths, the shuffle must tile the patch grid).</summary>
    public void Validate()
    {
        Require(Hidden % Heads == 0, $"hidden {Hidden} is not a multiple of the {Heads} heads");
        Require(Heads % KeyValueHeads == 0, $"{Heads} query heads cannot share {KeyValueHeads} key/value heads evenly");
        Require(ImageSide % (PatchSide * ScaleFactor) == 0, $"a {ImageSide}-px tile does not split into {PatchSide * ScaleFactor}-px shuffle blocks");
        Require(VisionLayers == 0 || VisionHidden % VisionHeads == 0, $"vision width {VisionHidden} is not a multiple of the {VisionHeads} heads");
        Require(MaxTilesPerSide is >= 1 and <= 4, $"{MaxTilesPerSide} tiles per side: the tokenizer names rows and columns 1…4");
        Require(Layers > 0 && Intermediate > 0 && MaxPositions > 0, "layers, intermediate size and positions must be positive");
    }

    private void Require(bool condition, string what)
    {
        if (!condition) throw new ArgumentException($"shape '{Name}': {what}");
    }
}

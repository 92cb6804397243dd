namespace CollabVlm.VlmSynthesis;

/// <summary>
/// The tests' tiny VLM (<see cref="SyntheticVlmShape.Tiny"/>): its sizes as constants for assertions,
/// and the folder writer. Same seed, same weights, same answers as always.
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

    /// <summary>Special tokens after the 256 byte tokens and the merges, in id order.</summary>
    public static IReadOnlyList<string> SpecialTokens => SyntheticVlm.SpecialTokens;

    /// <summary>The SmolVLM chat template (Jinja), as the real model's chat_template.json holds it.</summary>
    public const string ChatTemplate = SyntheticVlm.ChatTemplate;

    public static int TokenId(string special) => SyntheticVlm.TokenId(special);

    /// <summary>Writes the folder and returns it.</summary>
    public static string Create(string directory, bool withAttentions = true, bool imageSplitting = false, int seed = 7, bool withUseCacheBranch = false) =>
        SyntheticVlm.Create(directory, SyntheticVlmShape.Tiny, withAttentions, imageSplitting, seed, withUseCacheBranch);
}

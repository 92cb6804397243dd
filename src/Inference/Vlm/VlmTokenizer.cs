using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace CollabVlm.Inference.Vlm;

/// <summary>
/// The model's byte-level BPE tokenizer (GPT-2 style, as SmolLM2 / SmolVLM ship it: vocab.json +
/// merges.txt) through Microsoft.ML.Tokenizers, plus the added tokens (<c>&lt;image&gt;</c>,
/// <c>&lt;end_of_utterance&gt;</c>, …) which this class maps itself: the prompt is cut at each added
/// token, so an added token is never split by BPE and text that merely looks like one cannot arise
/// from user input (the question is checked for added tokens before it is put in the prompt).
/// </summary>
public sealed class VlmTokenizer
{
    // GPT-2's pre-tokenizer with digits split one by one (SmolLM2's Digits(individual_digits) step).
    private static readonly Regex PreTokenizerPattern = new(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled);

    private readonly BpeTokenizer _bpe;
    private readonly Dictionary<string, int> _added;
    private readonly HashSet<int> _addedIds;
    private readonly Regex? _addedPattern;

    private VlmTokenizer(BpeTokenizer bpe, Dictionary<string, int> added)
    {
        _bpe = bpe;
        _added = added;
        _addedIds = [.. added.Values];
        _addedPattern = added.Count == 0 ? null
            : new Regex(string.Join("|", added.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)), RegexOptions.Compiled);
    }

    public IReadOnlyDictionary<string, int> AddedTokens => _added;

    public static VlmTokenizer Load(string directory)
    {
        var options = new BpeOptions(Path.Combine(directory, "vocab.json"), Path.Combine(directory, "merges.txt"))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(PreTokenizerPattern, null),
        };
        return new VlmTokenizer(BpeTokenizer.Create(options), ReadAddedTokens(directory));
    }

    /// <summary>The id of an added token, or an error naming the token the model folder lacks.</summary>
    public int AddedTokenId(string token) =>
        _added.TryGetValue(token, out var id) ? id
        : throw new InvalidDataException($"the tokenizer has no added token {token} (added_tokens.json / tokenizer.json added_tokens)");

    public bool IsAdded(int id) => _addedIds.Contains(id);

    /// <summary>Encodes a prompt in which added tokens appear literally.</summary>
    public List<long> Encode(string prompt)
    {
        var ids = new List<long>();
        var at = 0;
        if (_addedPattern is not null)
            foreach (Match m in _addedPattern.Matches(prompt))
            {
                EncodeText(prompt[at..m.Index], ids);
                ids.Add(_added[m.Value]);
                at = m.Index + m.Length;
            }
        EncodeText(prompt[at..], ids);
        return ids;
    }

    /// <summary>Text of the generated ids, added tokens left out.</summary>
    public string Decode(IEnumerable<long> ids) =>
        _bpe.Decode(ids.Where(i => !_addedIds.Contains((int)i)).Select(i => (int)i)) ?? "";

    /// <summary>The first added token found in user text, or null.</summary>
    public string? FindAddedToken(string text) => _addedPattern?.Match(text) is { Success: true } m ? m.Value : null;

    private void EncodeText(string text, List<long> ids)
    {
        if (text.Length == 0) return;
        foreach (var id in _bpe.EncodeToIds(text)) ids.Add(id);
    }

    /// <summary>tokenizer.json <c>added_tokens</c> when present, else added_tokens.json.</summary>
    private static Dictionary<string, int> ReadAddedTokens(string directory)
    {
        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (File.Exists(tokenizerJson) && JsonNode.Parse(File.ReadAllText(tokenizerJson))?["added_tokens"] is JsonArray list)
        {
            foreach (var t in list)
                result[t!["content"]!.GetValue<string>()] = t["id"]!.GetValue<int>();
            return result;
        }
        var addedJson = Path.Combine(directory, "added_tokens.json");
        if (File.Exists(addedJson) && JsonNode.Parse(File.ReadAllText(addedJson)) is JsonObject map)
            foreach (var (key, value) in map)
                result[key] = value!.GetValue<int>();
        return result;
    }
}

namespace CollabVlm.Inference.Reader;

/// <summary>
/// The recognizer's output classes: index 0 is the CTC blank, then one class per line of
/// <c>ppocr_keys_v1.txt</c>, then a space (PaddleOCR's <c>use_space_char</c>). For the PP-OCRv4
/// recognizer that is 1 + 6623 + 1 = 6625 classes, matching its output's last dimension.
/// </summary>
public sealed class CharacterTable
{
    private readonly string[] _symbols;

    private CharacterTable(string[] symbols) => _symbols = symbols;

    public int Count => _symbols.Length;

    public string this[int index] => _symbols[index];

    public static CharacterTable FromKeys(IEnumerable<string> dictionaryLines) =>
        new(["", .. dictionaryLines, " "]);

    public static CharacterTable Load(string keysPath)
    {
        if (!File.Exists(keysPath))
            throw new FileNotFoundException($"character dictionary not found: {keysPath}", keysPath);
        return FromKeys(File.ReadLines(keysPath).Select(l => l.TrimEnd('\r', '\n')));
    }
}

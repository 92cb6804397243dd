using CollabVlm.Inference.Reader;

namespace CollabVlm.Inference.Tests.Reader;

public sealed class CharacterTableTests
{
    [Fact]
    public void From_keys_puts_the_blank_first_and_the_space_last()
    {
        var table = CharacterTable.FromKeys(["a", "b", "c"]);

        // blank + 3 keys + space = 5 classes.
        Assert.Equal(5, table.Count);
        Assert.Equal("", table[0]);
        Assert.Equal("a", table[1]);
        Assert.Equal("c", table[3]);
        Assert.Equal(" ", table[4]);
    }

    [Fact]
    public void Real_keys_file_gives_the_recognizers_6625_classes()
    {
        var table = CharacterTable.Load(ReaderModelFiles.Locate().Keys);

        // 1 blank + 6623 dictionary lines (the file has 6622 newlines, no newline after the last) + 1 space.
        Assert.Equal(6625, table.Count);
        Assert.Equal("", table[0]);
        Assert.Equal(" ", table[6624]);

        // Table index = line number in the file (1-based), because the blank takes index 0.
        // Checked with Python on ppocr_keys_v1.txt: line 1 is "'", line 26 "0", line 1109 "9",
        // line 1221 "A", line 4136 "Z", line 4544 "a", line 3316 "z", line 6623 "懮".
        Assert.Equal("'", table[1]);
        Assert.Equal("0", table[26]);
        Assert.Equal("9", table[1109]);
        Assert.Equal("A", table[1221]);
        Assert.Equal("Z", table[4136]);
        Assert.Equal("a", table[4544]);
        Assert.Equal("z", table[3316]);
        Assert.Equal("懮", table[6623]);
    }

    [Fact]
    public void Real_keys_file_covers_every_ascii_digit_and_letter()
    {
        var table = CharacterTable.Load(ReaderModelFiles.Locate().Keys);
        var symbols = Enumerable.Range(0, table.Count).Select(i => table[i]).ToHashSet(StringComparer.Ordinal);

        var needed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".Select(c => c.ToString());

        Assert.All(needed, s => Assert.Contains(s, symbols));
    }

    [Fact]
    public void Missing_keys_file_throws_file_not_found_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-keys-{Guid.NewGuid():N}.txt");

        var e = Assert.Throws<FileNotFoundException>(() => CharacterTable.Load(path));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }
}

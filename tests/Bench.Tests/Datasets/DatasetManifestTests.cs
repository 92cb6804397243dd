using CollabVlm.Bench.Datasets;

namespace CollabVlm.Bench.Tests.Datasets;

public sealed class DatasetManifestTests
{
    private static string ErrorOf(string line) =>
        Assert.Throws<DatasetFormatException>(() => DatasetManifest.ParseLine(line, "manifest.jsonl line 7")).Message;

    [Fact]
    public void A_line_with_every_field_round_trips()
    {
        var item = new DatasetItem("q1", "images/q1.jpg", "What does the red sign say?", ["EXIT 4", "exit four"], new PixelBox(10, 20, 110, 60))
        {
            TextHeightPx = 24, Distractors = 2, Width = 2048, Height = 1536,
        };
        var back = DatasetManifest.ParseLine(DatasetManifest.FormatLine(item), "here");
        Assert.Equal(item.Id, back.Id);
        Assert.Equal(item.Answers, back.Answers);
        Assert.Equal(item.Box, back.Box);
        Assert.Equal(24, back.TextHeightPx);
        Assert.Equal(2, back.Distractors);
    }

    [Fact]
    public void Optional_fields_may_be_absent_and_unknown_fields_are_ignored()
    {
        var item = DatasetManifest.ParseLine("""{"id":"a","image":"x.jpg","question":"q?","answers":["A"],"source":"textvqa"}""", "here");
        Assert.Null(item.Box);
        Assert.Null(item.TextHeightPx);
        Assert.Equal(0, item.Distractors);
    }

    [Theory]
    [InlineData("""{"image":"x.jpg","question":"q","answers":["A"]}""", "field \"id\" is missing")]
    [InlineData("""{"id":"a","image":"","question":"q","answers":["A"]}""", "field \"image\" must be a non-empty string")]
    [InlineData("""{"id":"a","image":"../x.jpg","question":"q","answers":["A"]}""", "field \"image\"")]
    [InlineData("""{"id":"a","image":"x.jpg","question":3,"answers":["A"]}""", "field \"question\" must be a non-empty string")]
    [InlineData("""{"id":"a","image":"x.jpg","question":"q","answers":[]}""", "field \"answers\" must be a non-empty array")]
    [InlineData("""{"id":"a","image":"x.jpg","question":"q","answers":"A"}""", "field \"answers\" must be a non-empty array")]
    [InlineData("""{"id":"a","image":"x.jpg","question":"q","answers":["A"],"box":[1,2,3]}""", "field \"box\" must be [x0, y0, x1, y1]")]
    [InlineData("""{"id":"a","image":"x.jpg","question":"q","answers":["A"],"box":[5,2,3,4]}""", "field \"box\"")]
    [InlineData("""{"id":"a","image":"x.jpg","question":"q","answers":["A"],"text_height_px":-3}""", "field \"text_height_px\"")]
    [InlineData("""{"id":"a","image":"x.jpg",""", "not valid JSON")]
    [InlineData("""[1,2]""", "not a JSON object")]
    public void A_bad_line_is_refused_naming_the_line_and_the_field(string line, string expected)
    {
        var message = ErrorOf(line);
        Assert.StartsWith("manifest.jsonl line 7: ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Loading_names_the_line_of_a_missing_image_and_of_a_duplicate_id()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(Path.Combine(folder.Path, "a.jpg"), [1]);
        File.WriteAllLines(Path.Combine(folder.Path, DatasetManifest.FileName),
        [
            """{"id":"a","image":"a.jpg","question":"q","answers":["A"]}""",
            "",
            """{"id":"b","image":"missing.jpg","question":"q","answers":["B"]}""",
        ]);
        var missing = Assert.Throws<DatasetFormatException>(() => DatasetManifest.Load(folder.Path)).Message;
        Assert.Contains("line 3: field \"image\": file missing.jpg not found", missing);

        File.WriteAllLines(Path.Combine(folder.Path, DatasetManifest.FileName),
        [
            """{"id":"a","image":"a.jpg","question":"q","answers":["A"]}""",
            """{"id":"a","image":"a.jpg","question":"q","answers":["B"]}""",
        ]);
        var duplicate = Assert.Throws<DatasetFormatException>(() => DatasetManifest.Load(folder.Path)).Message;
        Assert.Contains("line 2: field \"id\": \"a\" already used on line 1", duplicate);
    }

    [Fact]
    public void A_folder_without_a_manifest_says_what_a_data_set_folder_holds()
    {
        using var folder = new TempFolder();
        var message = Assert.Throws<DatasetFormatException>(() => DatasetManifest.Load(folder.Path)).Message;
        Assert.Contains("manifest.jsonl", message);
        Assert.Contains("not found", message);
    }
}

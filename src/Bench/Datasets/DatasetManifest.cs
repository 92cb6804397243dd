using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CollabVlm.Bench.Datasets;

/// <summary>
/// Reads and writes <c>manifest.jsonl</c>: one JSON object per line,
/// <c>{"id", "image", "question", "answers": [...], "box"?: [x0, y0, x1, y1]}</c>, the image path
/// relative to the folder. Unknown fields are ignored (exports from other data sets may carry
/// more); the generator's extras are <c>text_height_px</c>, <c>distractors</c>, <c>width</c>, <c>height</c>, <c>source</c>.
/// Any error names the line and the field.
/// </summary>
public static class DatasetManifest
{
    public const string FileName = "manifest.jsonl";

    /// <summary>
    /// <see cref="Load"/> for a command: a malformed manifest becomes one <c>error:</c> line on standard error
    /// and null, so the command exits 2 instead of printing a stack trace.
    /// </summary>
    public static async Task<Dataset?> LoadOrReportAsync(string folder)
    {
        try
        {
            return Load(folder);
        }
        catch (DatasetFormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return null;
        }
    }

    public static Dataset Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var path = Path.Combine(folder, FileName);
        if (!Directory.Exists(folder))
            throw new DatasetFormatException($"data set folder {folder} does not exist");
        if (!File.Exists(path))
            throw new DatasetFormatException($"{path} not found: a data set folder holds {FileName} (one JSON object per line) and its images");

        var items = new List<DatasetItem>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var item = ParseLine(line, $"{FileName} line {lineNumber}");
            if (ids.TryGetValue(item.Id, out var first))
                throw new DatasetFormatException($"{FileName} line {lineNumber}: field \"id\": \"{item.Id}\" already used on line {first}");
            ids[item.Id] = lineNumber;
            if (!File.Exists(Path.Combine(folder, item.Image)))
                throw new DatasetFormatException($"{FileName} line {lineNumber}: field \"image\": file {item.Image} not found in {folder}");
            items.Add(item);
        }
        if (items.Count == 0)
            throw new DatasetFormatException($"{path} holds no questions");
        return new Dataset(Path.GetFullPath(folder), items);
    }

    /// <summary>One line; <paramref name="where"/> starts every error message ("manifest.jsonl line 7").</summary>
    public static DatasetItem ParseLine(string line, string where)
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(line) as JsonObject ?? throw new DatasetFormatException($"{where}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"{where}: not valid JSON ({e.Message})");
        }

        string RequiredString(string field)
        {
            if (!obj.TryGetPropertyValue(field, out var node) || node is null)
                throw new DatasetFormatException($"{where}: field \"{field}\" is missing");
            if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
                throw new DatasetFormatException($"{where}: field \"{field}\" must be a non-empty string");
            return node.GetValue<string>();
        }

        var id = RequiredString("id");
        var image = RequiredString("image");
        if (Path.IsPathRooted(image) || image.Split('/', '\\').Contains(".."))
            throw new DatasetFormatException($"{where}: field \"image\": \"{image}\" must be a path inside the data set folder (relative, no \"..\")");
        var question = RequiredString("question");

        if (!obj.TryGetPropertyValue("answers", out var answersNode) || answersNode is null)
            throw new DatasetFormatException($"{where}: field \"answers\" is missing");
        if (answersNode is not JsonArray answersArray || answersArray.Count == 0
            || answersArray.Any(a => a is null || a.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(a.GetValue<string>())))
            throw new DatasetFormatException($"{where}: field \"answers\" must be a non-empty array of non-empty strings");
        var answers = answersArray.Select(a => a!.GetValue<string>()).ToArray();

        PixelBox? box = null;
        if (obj.TryGetPropertyValue("box", out var boxNode) && boxNode is not null)
        {
            if (boxNode is not JsonArray b || b.Count != 4 || b.Any(v => v is null || v.GetValueKind() != JsonValueKind.Number))
                throw new DatasetFormatException($"{where}: field \"box\" must be [x0, y0, x1, y1], four numbers in pixels");
            var v = b.Select(n => n!.GetValue<double>()).ToArray();
            if (v.Any(x => x < 0 || !double.IsFinite(x)) || v[2] <= v[0] || v[3] <= v[1])
                throw new DatasetFormatException($"{where}: field \"box\": [{string.Join(", ", v.Select(x => x.ToString(CultureInfo.InvariantCulture)))}] needs 0 ≤ x0 < x1 and 0 ≤ y0 < y1");
            box = new PixelBox(v[0], v[1], v[2], v[3]);
        }

        int? OptionalInt(string field)
        {
            if (!obj.TryGetPropertyValue(field, out var node) || node is null) return null;
            if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var value) || value < 0)
                throw new DatasetFormatException($"{where}: field \"{field}\" must be a non-negative whole number");
            return value;
        }

        return new DatasetItem(id, image, question, answers, box)
        {
            TextHeightPx = OptionalInt("text_height_px"),
            Distractors = OptionalInt("distractors") ?? 0,
            Width = OptionalInt("width"),
            Height = OptionalInt("height"),
            Source = obj.TryGetPropertyValue("source", out var source) && source is not null && source.GetValueKind() == JsonValueKind.String ? source.GetValue<string>() : null,
        };
    }

    public static string FormatLine(DatasetItem item)
    {
        var obj = new JsonObject
        {
            ["id"] = item.Id,
            ["image"] = item.Image,
            ["question"] = item.Question,
            ["answers"] = new JsonArray(item.Answers.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
        };
        if (item.Box is { } b) obj["box"] = new JsonArray(b.X0, b.Y0, b.X1, b.Y1);
        if (item.TextHeightPx is { } h) obj["text_height_px"] = h;
        if (item.Distractors > 0) obj["distractors"] = item.Distractors;
        if (item.Width is { } w) obj["width"] = w;
        if (item.Height is { } ht) obj["height"] = ht;
        if (item.Source is { } src) obj["source"] = src;
        return obj.ToJsonString();
    }

    public static void Write(string folder, IEnumerable<DatasetItem> items)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, FileName), items.Select(FormatLine), new UTF8Encoding(false));
    }
}

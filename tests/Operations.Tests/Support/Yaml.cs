using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace CollabVlm.Operations.Tests.Support;

/// <summary>Reads YAML into plain nested dictionaries and lists, and walks them by path with clear failures.</summary>
public static class Yaml
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();

    /// <summary>Every document of a multi-document stream (kubectl kustomize output).</summary>
    public static IReadOnlyList<Dictionary<object, object>> Documents(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
            if (Reader.Deserialize<Dictionary<object, object>?>(parser) is { } document) documents.Add(document);
        return documents;
    }

    public static Dictionary<object, object> Load(string path) =>
        Reader.Deserialize<Dictionary<object, object>>(File.ReadAllText(path));

    /// <summary>The value at <paramref name="path"/> (keys separated by '.'), or null when any step is missing.</summary>
    public static object? At(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not Dictionary<object, object> map || !map.TryGetValue(key, out node)) return null;
        }
        return node;
    }

    public static string? Text(object? node, string path) => At(node, path) as string;

    public static IReadOnlyList<object> List(object? node, string path) => At(node, path) as List<object> ?? [];

    public static IReadOnlyDictionary<string, string> StringMap(object? node, string path) =>
        (At(node, path) as Dictionary<object, object>)?.ToDictionary(kv => (string)kv.Key, kv => kv.Value?.ToString() ?? "") ?? new Dictionary<string, string>();
}
